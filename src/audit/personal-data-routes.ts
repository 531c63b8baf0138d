/**
 * Which routes show personal data of people other than the caller, and whose: in one place, like the permissions in
 * src/auth/policy.ts. The PersonalDataReads interceptor logs a read for every person a listed route showed (the
 * caller itself left out). `test/audit.e2e-spec.ts` checks that every GET route is in exactly one of the two tables
 * below, so a new route cannot show personal data unlogged by being forgotten here. Pages and files (answers that are
 * not JSON) are listed here as recorded by their handler, which calls `recordShown` (src/audit/handler-reads.ts).
 */

/** Where to find a person in an answer, given to a route's rule by the interceptor. */
export interface SubjectLookup {
  /** Persons and contract administrators behind mail addresses shown without an id. */
  idsByEmail(emails: string[]): Promise<string[]>;
  certificateHolder(certificateId: string): Promise<string | null>;
}

export interface ReadRequest {
  params: Record<string, string>;
  body: unknown;
  lookup: SubjectLookup;
}

/** The ids of the persons whose data a JSON answer showed. */
export type Subjects = (read: ReadRequest) => string[] | Promise<string[]>;

export type PersonalDataRoute = {
  /** The audit action; `personal-data.read` unless the route is a read of its own kind. */
  action?: string;
} & (
  | { subjects: Subjects }
  /** A page or file: its handler says whom it shows (`recordShown`) before it answers. */
  | { recordedByHandler: true }
);

/** Values at a path such as `items[].members[].id` (`[]` walks an array; a leading `[]` the answer itself). */
export function pick(value: unknown, path: string): string[] {
  let current: unknown[] = [value];
  for (const segment of path.split('.')) {
    const name = segment.replace(/\[\]$/, '');
    current = current.flatMap((item) => {
      const inner = name ? (item as Record<string, unknown> | null)?.[name] : item;
      if (!segment.endsWith('[]')) return [inner];
      return Array.isArray(inner) ? inner : [];
    });
  }
  return current.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/**
 * Persons referred to anywhere in a JSON value, the way workflow contexts, journals and mail carry them: a
 * `personId`; the `id` of an object that also has an `email` (a contract's administrator); an `email` alone (a mail
 * recipient), returned separately to be looked up.
 */
export function personReferences(value: unknown): { ids: Set<string>; emails: Set<string> } {
  const ids = new Set<string>();
  const emails = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.personId === 'string') ids.add(record.personId);
    if (typeof record.email === 'string') {
      if (typeof record.id === 'string') ids.add(record.id);
      else if (typeof record.personId !== 'string') emails.add(record.email.toLowerCase());
    }
    Object.values(record).forEach(visit);
  };
  visit(value);
  return { ids, emails };
}

const param =
  (name: string): Subjects =>
  ({ params }) =>
    params[name] ? [params[name]] : [];
const at =
  (...paths: string[]): Subjects =>
  ({ body }) =>
    paths.flatMap((path) => pick(body, path));
const referenced: Subjects = async ({ body, lookup }) => {
  const { ids, emails } = personReferences(body);
  return [...ids, ...(await lookup.idsByEmail([...emails]))];
};
const recipients =
  (path: string): Subjects =>
  ({ body, lookup }) =>
    lookup.idsByEmail(pick(body, path));

const byHandler: PersonalDataRoute = { recordedByHandler: true };

const GROUP_PEOPLE = ['moderators[].id', 'tandems[].members[].id', 'waitingList[].members[].id'];

/** Routes that show personal data, keyed `METHOD path` as the router names them. */
export const PERSONAL_DATA_ROUTES: Record<string, PersonalDataRoute> = {
  // master data
  'GET /persons': { subjects: at('items[].id') },
  'GET /persons/:id': { subjects: param('id') },
  'GET /persons/:id/history': { subjects: param('id') },
  'GET /tandems': { subjects: at('items[].members[].id') },
  'GET /tandems/:id': { subjects: at('members[].id') },
  'GET /persons/:id/export': { subjects: param('id'), action: 'person-data.exported' },
  // a person's own pages, read by the institute or the ministry
  'GET /persons/:id/schedule': { subjects: param('id') },
  'GET /persons/:id/tasks': { subjects: param('id') },
  'GET /persons/:id/certificates': { subjects: param('id') },
  'GET /persons/:id/calendar.ics': { subjects: param('id') },
  'GET /certificates/:id/pdf': {
    subjects: async ({ params, lookup }) =>
      [await lookup.certificateHolder(params.id)].filter((id): id is string => !!id),
  },
  // the qualification's lists
  'GET /enrolments': { subjects: at('[].members[].id') },
  'GET /enrolments/:id': { subjects: at('members[].id') },
  'GET /enrolments/:id/certificates': { subjects: at('[].personId') },
  'GET /groups': { subjects: at(...GROUP_PEOPLE.map((path) => `[].${path}`)) },
  'GET /groups/:id': { subjects: at(...GROUP_PEOPLE) },
  'GET /events/:id/attendance': { subjects: at('entries[].personId') },
  // workflow instances and their mail carry names and addresses
  'GET /instances': { subjects: referenced },
  'GET /instances/:id': { subjects: referenced },
  'GET /instances/:id/journal': { subjects: referenced },
  'GET /notifications': { subjects: recipients('items[].recipient') },
  'GET /notifications/:id': { subjects: recipients('recipient') },
  // contracts name their administrators with their addresses
  'GET /contracts/:id': { subjects: referenced },
  'GET /contracts/deadlines': { subjects: referenced },
  // exports and print: the files name the persons of their rows
  'GET /exports/enrolments.:format': byHandler,
  'GET /exports/attendance.:format': byHandler,
  'GET /exports/certificates.:format': byHandler,
  'GET /groups/:id/roster.pdf': byHandler,
  'GET /events/:id/sign-in-sheet.pdf': byHandler,
  // the journal drawn under the diagram names who acted, moderators and participants by their person id
  'GET /instances/:id/diagram.svg': byHandler,
  // web pages (src/web)
  'GET /app/vorgaenge/:id': byHandler,
  'GET /app/bezirk/tandems': byHandler,
  'GET /app/bezirk/tandems/neu': byHandler,
  'GET /app/bezirk/anmeldungen/:id': byHandler,
  'GET /app/institut/gruppen/:id': byHandler,
  'GET /app/institut/gruppen/:id/termine/:eventId/anwesenheit': byHandler,
  'GET /app/institut/anmeldungen': byHandler,
  'GET /app/moderation/gruppen/:id': byHandler,
  'GET /app/moderation/gruppen/:id/termine/:eventId/anwesenheit': byHandler,
  'GET /app/ministerium/moderation': byHandler,
  'GET /app/institut/gruppen': byHandler,
  // the moderator tandems to choose from, by their members' names
  'GET /app/institut/gruppe-neu': byHandler,
};

/** Routes that show no one's personal data but the caller's own, and why. */
export const ROUTES_WITHOUT_PERSONAL_DATA: Record<string, string> = {
  'GET /health': 'service status',
  'GET /definitions': 'workflow definitions',
  'GET /districts': 'the five districts',
  'GET /networks': 'networks (no persons)',
  'GET /networks/:id': 'a network (no persons)',
  'GET /networks/:id/history': "corrections of a network (who corrected it is the caller's staff, by actor id)",
  'GET /school-offices': 'Schulämter (no persons)',
  'GET /school-offices/:id': 'a Schulamt (no persons)',
  'GET /school-offices/:id/history': 'corrections of a Schulamt',
  'GET /tandems/:id/history': 'corrections of a tandem: its network, by id',
  'GET /overview': 'counts per district and anonymous evaluation results',
  'GET /exchanges': 'exchanges with counts of answers',
  'GET /events/:id/evaluations': 'anonymous evaluation results',
  'GET /exchanges/:id/evaluations': 'anonymous evaluation results of an exchange',
  'GET /evaluation/reports/:year': 'the yearly report: counts and anonymous results',
  'GET /evaluation/reports/:year.csv': 'the yearly report as CSV',
  'GET /evaluation/reports/:year.pdf': 'the yearly report as PDF',
  'GET /evaluation/meetings':
    "the ministry's meetings and the recipients the ministry recorded with them (no person of the programmes)",
  'GET /evaluation/meetings/:year': 'one such meeting',
  'GET /groups/:id/calendar.ics': "a group's events",
  'GET /auth/me': 'the caller itself',
  'GET /auth/api-tokens': "the caller's own API tokens",
  'GET /calendar-subscriptions': "the caller's own subscriptions",
  'GET /calendar/:file': "public by secret URL: what its creator may see of its own events or a group's",
  'GET /certificates/verify/:code': 'public: confirms a certificate without contact data',
  'GET /audit': 'the audit log names people by id only',
  // exports and pages without persons
  'GET /exports/deadlines.:format':
    "dates of events, reflection phases and contracts; a secondment's coordinator only by the name the contract records, not a person of the master data",
  'GET /contracts/notice-calculator': 'computes dates from dates',
  'GET /': 'redirects to the web interface',
  'GET /app': "redirects to the caller's start page",
  'GET /app/assets/lotse.css': 'the stylesheet',
  'GET /app/anmelden': 'the sign-in form',
  'GET /app/anmelden/oidc': "a redirect to the Land's identity provider",
  'GET /app/anmelden/oidc/rueckkehr': 'the return from the identity provider: sets the session and redirects',
  'GET /app/start': 'greets the caller by role',
  'GET /app/teilnahme': "a participant's own plan, tasks and certificates",
  'GET /app/moderation/gruppen': "a moderator's own groups with counts of tandems, events and reflection phases",
  'GET /app/institut/gruppen/:id/termine/:eventId/aenderung':
    "the form to move or cancel an event: the group's name and the event",
  'GET /app/institut/gruppen/:id/termin-neu': "the form to add an event: the group's name and its modules",
  'GET /app/institut/gruppen/:id/curriculum': "the form for a group's curriculum: the group's name and the modules",
  'GET /app/institut/uebersicht': 'seats and enrolments counted per district, anonymous evaluation results',
  'GET /app/ministerium':
    'counts per district, contracts by Bildungsregion and Kommune, their deadlines (a coordinator only by the name the contract records)',
  'GET /app/vertraege': 'contracts by Bildungsregion and Kommune',
  'GET /app/vertraege/rechner': "the notice calculator's form",
  'GET /app/vertraege/:id':
    'a contract: its partners (Land and Kommune), notice and deadlines; a coordinator only by the name the contract records',
};
