/**
 * What a pseudonymised person is called from then on: the id stays (every record of others keeps pointing to it),
 * the name becomes a pseudonym derived from it, and the address becomes a marker that is no address at all, so no
 * message can reach anyone: a mail to it is refused by the mail handler before any server sees it.
 */
export function pseudonymOf(personId: string): { name: string; email: string } {
  return { name: `Pseudonym ${personId.slice(0, 8)}`, email: `pseudonymised:${personId}` };
}

/** Whether an address stored for a person is a pseudonym's marker. */
export function isPseudonymAddress(email: string): boolean {
  return email.startsWith('pseudonymised:');
}
