/**
 * Copies of a person's name, address and language in stored JSON (workflow contexts, journal payloads, reminder
 * timers, queued mail), found and rewritten without knowing each programme's shapes. Pure functions: no Nest, no
 * database.
 *
 * An object stands for the person when its `personId` is theirs, when its `id` is theirs and it carries a name or an
 * address, or when it carries one of their addresses and names no one else (a mail recipient). An object that
 * stands for someone else is left alone, whatever it holds. Elsewhere, a string that is one of the person's
 * addresses or (exactly) one of their names is a copy too: a message's data repeats the recipient's name.
 */

/** How to recognise the person: the id, every name and address they were ever known by (addresses lower case). */
export interface PersonMatch {
  id: string;
  names: string[];
  emails: string[];
}

/** What the copies become. A field left out stays as it is. */
export interface PersonFields {
  name?: string;
  email?: string;
  language?: string;
}

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownEmail(person: PersonMatch, value: Json): boolean {
  return typeof value === 'string' && person.emails.includes(value.toLowerCase());
}

/** Whether the object stands for the person (see above). */
export function standsFor(record: Record<string, Json>, person: PersonMatch): boolean {
  if (record.personId === person.id) return true;
  if (record.id === person.id && (typeof record.name === 'string' || typeof record.email === 'string')) return true;
  return (
    ownEmail(person, record.email) &&
    record.personId === undefined &&
    (record.id === undefined || record.id === person.id)
  );
}

/** Whether the object stands for someone else: another person's id, or an address that is not theirs. */
function standsForAnother(record: Record<string, Json>, person: PersonMatch): boolean {
  if (typeof record.personId === 'string' && record.personId !== person.id) return true;
  return typeof record.email === 'string' && !ownEmail(person, record.email);
}

/**
 * The value with every copy of the person's data replaced by `fields`; the very same value when there was none.
 * Records `kept` says are to stay as they are (an issued certificate) are left alone.
 */
export function rewritePerson(
  value: Json,
  person: PersonMatch,
  fields: PersonFields,
  kept: (record: Record<string, Json>) => boolean = () => false,
): Json {
  const visit = (node: Json): Json => {
    if (typeof node === 'string') {
      if (fields.email !== undefined && ownEmail(person, node)) return fields.email;
      if (fields.name !== undefined && person.names.includes(node)) return fields.name;
      return node;
    }
    if (Array.isArray(node)) {
      const items = node.map(visit);
      return items.some((item, i) => item !== node[i]) ? items : node;
    }
    if (!isRecord(node) || kept(node)) return node;
    const own = standsFor(node, person);
    if (!own && standsForAnother(node, person)) return node;
    let changed = false;
    const result: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(node)) {
      const field =
        own && (key === 'name' || key === 'email' || key === 'language') && typeof inner === 'string'
          ? fields[key]
          : undefined;
      result[key] = field !== undefined ? field : visit(inner);
      changed ||= result[key] !== inner;
    }
    return changed ? result : node;
  };
  return visit(value);
}

/** Whether the value holds any copy of the person's data or names their id. */
export function mentionsPerson(value: Json, person: PersonMatch): boolean {
  if (typeof value === 'string') return value === person.id || ownEmail(person, value);
  if (Array.isArray(value)) return value.some((item) => mentionsPerson(item, person));
  if (!isRecord(value)) return false;
  return standsFor(value, person) || Object.values(value).some((inner) => mentionsPerson(inner, person));
}

/**
 * A mail's key ends in its recipient's address (one message per recipient, ever); the key of a copy addressed to
 * the person follows the new address.
 */
export function rekey(key: string, person: PersonMatch, email: string | undefined): string {
  if (email === undefined) return key;
  const old = person.emails.find((e) => key.toLowerCase().endsWith(`:${e}`));
  return old ? `${key.slice(0, key.length - old.length)}${email.toLowerCase()}` : key;
}

/**
 * A network's former name in what a workflow sent or queued (`networkName` in a message's data): the contexts hold
 * it beside the network's id and are renamed through the engine (NETWORK_RENAMED).
 */
export function renameNetwork(value: Json, network: { oldName: string; name: string }): Json {
  const visit = (node: Json): Json => {
    if (Array.isArray(node)) {
      const items = node.map(visit);
      return items.some((item, i) => item !== node[i]) ? items : node;
    }
    if (!isRecord(node)) return node;
    const own = node.networkName === network.oldName;
    let changed = false;
    const result: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(node)) {
      result[key] = own && key === 'networkName' && typeof inner === 'string' ? network.name : visit(inner);
      changed ||= result[key] !== inner;
    }
    return changed ? result : node;
  };
  return visit(value);
}

/**
 * The value as the person may receive it in an export: other people's addresses left out (their names stay, as the
 * person knows them from the same tandem or group), so one person's request does not disclose another's contact.
 */
export function withoutOthersAddresses(value: Json, person: PersonMatch): Json {
  if (Array.isArray(value)) return value.map((item) => withoutOthersAddresses(item, person));
  if (!isRecord(value)) return value;
  const other = !standsFor(value, person) && standsForAnother(value, person);
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      other && key === 'email' ? null : withoutOthersAddresses(inner, person),
    ]),
  );
}
