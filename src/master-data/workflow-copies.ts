/**
 * Copies of master data the workflow engine holds. A tandem's members (name, address, language), a group's seated
 * tandems and moderators and an enrolment's network name are copied into workflow contexts when a workflow starts,
 * and from there into reminder timers and queued mail. A correction, and a pseudonymisation, must reach them.
 *
 * Contexts change only through the engine: the master-data command applies the programme's declared corrections
 * (PERSON_CORRECTED, PERSON_PSEUDONYMISED, NETWORK_RENAMED) to each instance holding a copy, so each gets a journal
 * row, a new version (a step computed from the old context meanwhile is recomputed), projections written from the
 * corrected context, and the reminders that context declares: a pending reminder to the old address is cancelled
 * and the same reminder to the corrected one takes its place. This class does the rest, inside the same command:
 * - mail already queued from the old data (not yet sent, or bounced), which no context declares any more;
 * - for pseudonymisation only, history: journal payloads, sent mail and stored idempotent answers, because erasure
 *   must reach every copy. A correction leaves history as it was (it records what was true then).
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rekey, renameNetwork, rewritePerson, type PersonFields, type PersonMatch } from './person-references.js';

export interface MailReport {
  /** Messages in the outbox rewritten. */
  mails: number;
  /** Messages to the person that had not gone out and are now stopped. */
  stoppedMails: number;
  /** Former keys of messages whose key changed: an .eml copy written under the old key can go. */
  replacedKeys: string[];
}

export interface HeldCopy {
  id: string;
  definition: string;
  state: string;
  status: string;
  version: number;
  context: Record<string, unknown>;
}

function placeholders(em: EntityManager, sql: string): string {
  return em.connection.options.type === 'postgres'
    ? sql.replace(
        /\?/g,
        (
          (n) => () =>
            `$${++n}`
        )(0),
      )
    : sql;
}

async function select<T>(em: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  return em.query(placeholders(em, sql), parameters);
}

async function run(em: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  return (await em.queryRunner!.query(placeholders(em, sql), parameters, true)).affected ?? 0;
}

/**
 * `(column LIKE ? OR …)` for rows whose text holds any of the needles (ids, addresses). The needles are lower case,
 * as every copy is: ids are lower-case UUIDs and Lotse stores a person's address in lower case (so no LOWER(), which
 * doubled the time of a scan).
 */
export function holding(column: string, needles: string[]): { sql: string; parameters: string[] } {
  const escaped = needles.map((n) => `%${n.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return { sql: `(${escaped.map(() => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`, parameters: escaped };
}

const changed = (before: unknown, after: unknown) => before !== after;

/** An issued certificate is kept as issued (its code must still verify): history rewriting leaves it alone. */
const issuedCertificate = (record: Record<string, unknown>) =>
  typeof record.certificateId === 'string' && typeof record.code === 'string';

@Injectable()
export class WorkflowCopies {
  constructor(private readonly dataSource: DataSource) {}

  /** Instances whose context holds any of the needles (the read-only reader; the command checks their versions). */
  async instancesHolding(needles: string[]): Promise<HeldCopy[]> {
    const where = holding('context', needles);
    const rows = await select<Omit<HeldCopy, 'context'> & { context: string }>(
      this.dataSource.manager,
      `SELECT id, definition, state, status, version, context FROM workflow_instances WHERE ${where.sql}`,
      where.parameters,
    );
    return rows.map((row) => ({ ...row, version: Number(row.version), context: JSON.parse(row.context) }));
  }

  /**
   * Mail to the person already in the outbox becomes `fields`. `current`: what has not gone out (pending) or bounced
   * (failed, so a resend reaches the corrected address). `all`: every message, and one that has not gone out is
   * stopped with `stopReason` (pseudonymisation).
   */
  async rewriteMail(
    em: EntityManager,
    change: { person: PersonMatch; fields: PersonFields; scope: 'current' | 'all'; stopReason?: string },
  ): Promise<MailReport> {
    const { person, fields, scope } = change;
    const report: MailReport = { mails: 0, stoppedMails: 0, replacedKeys: [] };
    const mails = holding('payload', [person.id, ...person.emails]);
    const statuses = scope === 'current' ? " AND status IN ('pending', 'failed')" : '';
    for (const row of await select<{ id: number; key: string; status: string; payload: string }>(
      em,
      `SELECT id, key, status, payload FROM outbox WHERE ${mails.sql}${statuses}`,
      mails.parameters,
    )) {
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      const rewritten = rewritePerson(payload, person, fields);
      if (!changed(payload, rewritten)) continue;
      let key = rekey(row.key, person, fields.email);
      if (key !== row.key && (await select(em, 'SELECT id FROM outbox WHERE key = ?', [key])).length > 0) key = row.key;
      const addressed =
        typeof payload.to === 'object' &&
        payload.to !== null &&
        payload.to !== (rewritten as Record<string, unknown>).to;
      const stop = change.stopReason && addressed && (row.status === 'pending' || row.status === 'failed');
      await run(
        em,
        `UPDATE outbox SET key = ?, payload = ?${stop ? ", status = 'failed', last_error = ?" : ''} WHERE id = ?`,
        [key, JSON.stringify(rewritten), ...(stop ? [change.stopReason] : []), row.id],
      );
      if (key !== row.key) report.replacedKeys.push(row.key);
      report.mails++;
      if (stop) report.stoppedMails++;
    }
    return report;
  }

  /** Queued mail of these instances that repeats a network's former name (the contexts are renamed by the engine). */
  async renameNetworkInMail(
    em: EntityManager,
    instanceIds: string[],
    network: { oldName: string; name: string },
  ): Promise<number> {
    if (!instanceIds.length) return 0;
    let count = 0;
    for (const row of await select<{ id: number; payload: string }>(
      em,
      `SELECT id, payload FROM outbox WHERE status IN ('pending', 'failed') AND instance_id IN (${instanceIds.map(() => '?').join(', ')})`,
      instanceIds,
    )) {
      const payload = JSON.parse(row.payload);
      const rewritten = renameNetwork(payload, network);
      if (!changed(payload, rewritten)) continue;
      await run(em, 'UPDATE outbox SET payload = ? WHERE id = ?', [JSON.stringify(rewritten), row.id]);
      count++;
    }
    return count;
  }

  /**
   * Pseudonymisation only: journal payloads, fired and cancelled reminders and stored idempotent answers holding the
   * person's data. Certificates in them keep the name they were issued to, as the enrolment's context does, so that
   * replaying the journal still gives the stored instance.
   */
  async rewriteHistory(em: EntityManager, person: PersonMatch, fields: PersonFields): Promise<number> {
    const needles = [person.id, ...person.emails];
    const apply = (value: unknown) => rewritePerson(value, person, fields, issuedCertificate);
    let count = 0;
    const journal = holding('payload', needles);
    for (const row of await select<{ id: number; payload: string }>(
      em,
      `SELECT id, payload FROM journal WHERE ${journal.sql}`,
      journal.parameters,
    )) {
      const payload = JSON.parse(row.payload);
      const rewritten = apply(payload);
      if (!changed(payload, rewritten)) continue;
      await run(em, 'UPDATE journal SET payload = ? WHERE id = ?', [JSON.stringify(rewritten), row.id]);
      count++;
    }
    // Pending reminders follow the corrected contexts (the engine); those that fired, were skipped or cancelled keep
    // a copy, in their effect and in their key (which ends in the recipient's address). Where the engine already
    // declared the same reminder to the pseudonym for that instant, that row stands for it and the old one goes.
    const timers = holding('key', needles);
    const effects = holding('effect', needles);
    for (const row of await select<{
      id: number;
      instance_id: string;
      key: string;
      due_at: string;
      effect: string | null;
    }>(
      em,
      `SELECT id, instance_id, key, due_at, effect FROM timers WHERE status <> 'pending' AND (${timers.sql} OR ${effects.sql})`,
      [...timers.parameters, ...effects.parameters],
    )) {
      const effect = row.effect === null ? null : JSON.parse(row.effect);
      const rewritten = effect === null ? null : apply(effect);
      const key = rekey(row.key, person, fields.email);
      if (key === row.key && !changed(effect, rewritten)) continue;
      if (
        key !== row.key &&
        (
          await select(em, 'SELECT id FROM timers WHERE instance_id = ? AND key = ? AND due_at = ?', [
            row.instance_id,
            key,
            row.due_at,
          ])
        ).length
      ) {
        await run(em, 'DELETE FROM timers WHERE id = ?', [row.id]);
      } else {
        await run(em, 'UPDATE timers SET key = ?, effect = ? WHERE id = ?', [
          key,
          rewritten === null ? null : JSON.stringify(rewritten),
          row.id,
        ]);
      }
      count++;
    }
    const answers = holding('response', needles);
    for (const row of await select<{ key: string; response: string }>(
      em,
      `SELECT key, response FROM idempotency_keys WHERE ${answers.sql}`,
      answers.parameters,
    )) {
      const response = JSON.parse(row.response);
      const rewritten = apply(response);
      if (!changed(response, rewritten)) continue;
      await run(em, 'UPDATE idempotency_keys SET response = ? WHERE key = ?', [JSON.stringify(rewritten), row.key]);
      count++;
    }
    return count;
  }
}
