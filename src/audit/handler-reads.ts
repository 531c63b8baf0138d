/**
 * Reads of personal data that the PersonalDataReads interceptor cannot see in a JSON body: web pages sent with @Res,
 * files, PDFs, SVG. The handler knows whom its answer shows and says so with `recordShown(personIds)` before it sends
 * the answer; the row is written through the same AuditLog, so a read that could not be logged is not answered.
 * The interceptor runs every signed-in request inside an AsyncLocalStorage holding the recorder, so neither the
 * request nor the audit service has to be passed down to where a page or file is put together.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ShownReads {
  /** `METHOD path` as the router names it. */
  route: string;
  /** Whether PERSONAL_DATA_ROUTES lists the route as recorded by its handler. */
  expected: boolean;
  recorded: boolean;
  record(personIds: string[]): Promise<void>;
}

export const shownReads = new AsyncLocalStorage<ShownReads>();

/**
 * Records that the caller was shown these persons' data (the caller itself is left out). A GET route must be listed
 * in PERSONAL_DATA_ROUTES as recorded by its handler; a form's page shown again after a POST is recorded as well.
 */
export async function recordShown(personIds: Iterable<string | null | undefined>): Promise<void> {
  const reads = shownReads.getStore();
  if (!reads) throw new Error('recordShown outside a signed-in request');
  if (!reads.expected && reads.route.startsWith('GET ')) {
    throw new Error(
      `${reads.route} records personal-data reads but PERSONAL_DATA_ROUTES does not list it as recorded by its handler`,
    );
  }
  await reads.record([...personIds].filter((id): id is string => !!id));
  reads.recorded = true;
}

/**
 * Refuses to send a successful answer of a route listed as recorded by its handler when the handler recorded
 * nothing (not even that it showed no one): a forgotten `recordShown` fails loudly instead of reading unlogged.
 */
export function assertShownRecorded(status = 200): void {
  const reads = shownReads.getStore();
  if (reads?.expected && !reads.recorded && status < 400) {
    throw new Error(`${reads.route} is listed as recorded by its handler but sent its answer without recordShown`);
  }
}

/** Moderators and participants act under their person id; a journal that names who acted shows them. */
export function personsActingIn(journal: { actorId: string; actorRole: string }[]): string[] {
  return journal
    .filter((entry) => entry.actorRole === 'moderator' || entry.actorRole === 'participant')
    .map((entry) => entry.actorId);
}
