/**
 * Why a rule refuses a request, as plain data: every programme's rules return one (or null), and the service turns
 * it into the answer (`refuse` in src/common/errors.ts) before anything is stored. Machine guards use the same
 * functions.
 */
export interface Refusal {
  /** The rule's stable name: the `rule` member of the answer, which clients tell refusals apart by. */
  rule: string;
  /** A sentence for people. */
  message: string;
  /** 422: the request breaks a rule; 409: it conflicts with what is recorded; 403: it is not the caller's to do. */
  status: 403 | 409 | 422;
  details: Record<string, unknown>;
}

export function refused(
  rule: string,
  message: string,
  details: Record<string, unknown> = {},
  status: Refusal['status'] = 422,
): Refusal {
  return { rule, message, status, details };
}
