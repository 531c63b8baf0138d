/**
 * Copies of master data inside the workflow engine's tables. A tandem's members (name, address, language), a group's
 * moderators and an enrolment's network name are copied into workflow contexts when a workflow starts, and from
 * there into reminder timers and queued mail. A correction, and a pseudonymisation, must reach them.
 *
 * The engine's public API cannot do this: an instance changes only through an event its machine accepts, the
 * machines have no event for "a member's address was corrected", and no event reaches the journal's history, a
 * timer's stored effect or a queued message. So this class writes the engine's tables directly, always inside the
 * transaction of the correction or pseudonymisation it belongs to, and keeps the engine's own promises:
 * - an instance whose context changes gets a journal row (actor, event type, state unchanged) and a new version, so
 *   the journal still explains every change and a step computed from the old context meanwhile fails its
 *   optimistic lock and is recomputed (here, a concurrent step makes the whole transaction start again);
 * - a pending reminder carries what the engine would now declare for it: the new address in its effect and its key;
 * - history stays history: a correction leaves the journal and mail already sent as they were; only
 *   pseudonymisation rewrites them, because erasure has to.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConcurrentUpdate } from '../engine/errors.js';
import type { Actor } from '../engine/workflow-engine.js';
import { rekey, renameNetwork, rewritePerson, type PersonFields, type PersonMatch } from './person-references.js';

/** A workflow instance changed between reading and writing it: run the whole transaction again. */
export class CopyChanged extends Error {
  override name = 'CopyChanged';
}

export interface CopyReport {
  /** Instances whose context changed (each with a journal row). */
  instances: number;
  /** Reminder timers (pending, or all when pseudonymising) rewritten. */
  reminders: number;
  /** Messages in the outbox rewritten. */
  mails: number;
  /** Messages to the person that had not gone out and are now stopped. */
  stoppedMails: number;
  /** Journal rows and stored idempotent answers rewritten (pseudonymisation only). */
  history: number;
  /** Former keys of messages whose key changed: an .eml copy written under the old key can go. */
  replacedKeys: string[];
}

interface InstanceRecord { id: string; state: string; version: number; context: string; definition: string; status: string }

function placeholders(em: EntityManager, sql: string): string {
  return em.connection.options.type === 'postgres' ? sql.replace(/\?/g, ((n) => () => `$${++n}`)(0)) : sql;
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

const ATTEMPTS = 5;

/**
 * Runs `work` in one transaction of `transaction`, and again from the start when a workflow changed under it; after
 * five attempts the caller is told to try again (409), nothing written.
 */
export async function rewritingCopies<T>(transaction: (work: (em: EntityManager) => Promise<T>) => Promise<T>, work: (em: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction(work);
    } catch (error) {
      if (!(error instanceof CopyChanged)) throw error;
      if (attempt === ATTEMPTS) throw new ConcurrentUpdate('the workflows holding copies of this record kept changing; nothing was changed, try again', 'optimistic-lock');
    }
  }
}

@Injectable()
export class WorkflowCopies {
  constructor(private readonly dataSource: DataSource) {}

  /** Instances whose context holds any of the needles: read inside a rewrite's transaction, or on their own. */
  async instancesHolding(needles: string[], em: EntityManager = this.dataSource.manager): Promise<(Omit<InstanceRecord, 'context'> & { context: Record<string, unknown> })[]> {
    const where = holding('context', needles);
    const rows = await select<InstanceRecord>(em, `SELECT id, definition, state, status, version, context FROM workflow_instances WHERE ${where.sql}`, where.parameters);
    return rows.map((row) => ({ ...row, version: Number(row.version), context: JSON.parse(row.context) }));
  }

  /**
   * The person's copies become `fields`. `current`: contexts, pending reminders, queued and dead-lettered mail (a
   * correction: what goes out next uses the corrected data). `all`: also the journal, fired reminders, sent mail and
   * stored idempotent answers, and mail that has not gone out is stopped (pseudonymisation).
   */
  async rewritePerson(em: EntityManager, change: {
    person: PersonMatch; fields: PersonFields; scope: 'current' | 'all'; actor: Actor; eventType: string; now: Date; stopReason?: string;
  }): Promise<CopyReport> {
    const { person, fields, scope } = change;
    const needles = [person.id, ...person.emails];
    const report: CopyReport = { instances: 0, reminders: 0, mails: 0, stoppedMails: 0, history: 0, replacedKeys: [] };
    const apply = (value: unknown) => rewritePerson(value, person, fields);
    const newKey = (key: string) => rekey(key, person, fields.email);

    if (scope === 'all') report.history += await this.rewriteHistory(em, needles, apply);
    const instances = await this.instancesHolding(needles, em);
    report.instances = await this.rewriteContexts(em, instances, apply, change.actor, change.eventType, { person: { personId: person.id, ...fields } }, change.now);

    // A pending reminder follows its instance's context, so only instances holding the person can have one for them.
    const timers = scope === 'all' ? holding('effect', needles) : { sql: `status = 'pending' AND instance_id IN (${instances.map(() => '?').join(', ') || "''"})`, parameters: instances.map((i) => i.id) };
    for (const row of await select<{ id: number; instance_id: string; key: string; due_at: string; effect: string }>(em,
      `SELECT id, instance_id, key, due_at, effect FROM timers WHERE effect IS NOT NULL AND ${timers.sql}`, timers.parameters)) {
      const effect = JSON.parse(row.effect) as Record<string, unknown>;
      const rewritten = apply(effect) as Record<string, unknown>;
      if (!changed(effect, rewritten)) continue;
      let key = newKey(row.key);
      const taken = key !== row.key && (await select(em, 'SELECT id FROM timers WHERE instance_id = ? AND key = ? AND due_at = ?', [row.instance_id, key, row.due_at])).length > 0;
      if (taken) key = row.key;
      const stored = { ...rewritten, ...(typeof rewritten.key === 'string' && !taken ? { key: newKey(rewritten.key) } : {}) };
      await run(em, 'UPDATE timers SET key = ?, effect = ? WHERE id = ?', [key, JSON.stringify(stored), row.id]);
      report.reminders++;
    }

    const mails = holding('payload', needles);
    const statuses = scope === 'current' ? " AND status IN ('pending', 'failed')" : '';
    for (const row of await select<{ id: number; key: string; status: string; payload: string }>(em,
      `SELECT id, key, status, payload FROM outbox WHERE ${mails.sql}${statuses}`, mails.parameters)) {
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      const rewritten = apply(payload);
      if (!changed(payload, rewritten)) continue;
      let key = newKey(row.key);
      if (key !== row.key && (await select(em, 'SELECT id FROM outbox WHERE key = ?', [key])).length > 0) key = row.key;
      const addressed = typeof payload.to === 'object' && payload.to !== null && payload.to !== (rewritten as Record<string, unknown>).to;
      const stop = change.stopReason && addressed && (row.status === 'pending' || row.status === 'failed');
      await run(em, `UPDATE outbox SET key = ?, payload = ?${stop ? ", status = 'failed', last_error = ?" : ''} WHERE id = ?`,
        [key, JSON.stringify(rewritten), ...(stop ? [change.stopReason] : []), row.id]);
      if (key !== row.key) report.replacedKeys.push(row.key);
      report.mails++;
      if (stop) report.stoppedMails++;
    }
    return report;
  }

  /**
   * A network's corrected name reaches the enrolments that copied it (`networkName` beside `networkId`), and their
   * pending reminders and queued mail that repeat it.
   */
  async renameNetwork(em: EntityManager, change: { id: string; oldName: string; name: string; actor: Actor; now: Date }): Promise<CopyReport> {
    const report: CopyReport = { instances: 0, reminders: 0, mails: 0, stoppedMails: 0, history: 0, replacedKeys: [] };
    const network = { id: change.id, oldName: change.oldName, name: change.name };
    const touched: string[] = [];
    report.instances = await this.rewriteContexts(em, await this.instancesHolding([change.id], em), (context) => renameNetwork(context, network, 'networkId'),
      change.actor, 'master-data.corrected', { network: { networkId: change.id, networkName: change.name } }, change.now, touched);
    if (!touched.length) return report;
    const marks = touched.map(() => '?').join(', ');
    const byName = (value: unknown) => renameNetwork(value, network, 'networkName');
    for (const row of await select<{ id: number; effect: string }>(em, `SELECT id, effect FROM timers WHERE status = 'pending' AND effect IS NOT NULL AND instance_id IN (${marks})`, touched)) {
      const effect = JSON.parse(row.effect);
      const rewritten = byName(effect);
      if (!changed(effect, rewritten)) continue;
      await run(em, 'UPDATE timers SET effect = ? WHERE id = ?', [JSON.stringify(rewritten), row.id]);
      report.reminders++;
    }
    for (const row of await select<{ id: number; payload: string }>(em, `SELECT id, payload FROM outbox WHERE status IN ('pending', 'failed') AND instance_id IN (${marks})`, touched)) {
      const payload = JSON.parse(row.payload);
      const rewritten = byName(payload);
      if (!changed(payload, rewritten)) continue;
      await run(em, 'UPDATE outbox SET payload = ? WHERE id = ?', [JSON.stringify(rewritten), row.id]);
      report.mails++;
    }
    return report;
  }

  /** Rewrites these instances' contexts; each changed instance gets a new version and a journal row. */
  private async rewriteContexts(em: EntityManager, instances: Awaited<ReturnType<WorkflowCopies['instancesHolding']>>, apply: (context: unknown) => unknown,
    actor: Actor, eventType: string, payload: Record<string, unknown>, now: Date, touched: string[] = []): Promise<number> {
    const at = now.toISOString();
    let count = 0;
    for (const row of instances) {
      const context = apply(row.context);
      if (!changed(row.context, context)) continue;
      const updated = await run(em, 'UPDATE workflow_instances SET context = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?',
        [JSON.stringify(context), row.version + 1, at, row.id, row.version]);
      if (updated !== 1) throw new CopyChanged(`instance ${row.id} changed while its copies were rewritten`);
      await run(em, `INSERT INTO journal (instance_id, seq, at, actor_id, actor_role, event_type, payload, state_before, state_after)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [row.id, row.version + 1, at, actor.id, actor.role, eventType, JSON.stringify(payload), row.state, row.state]);
      touched.push(row.id);
      count++;
    }
    return count;
  }

  /** Journal payloads and stored idempotent answers holding the person's data (pseudonymisation only). */
  private async rewriteHistory(em: EntityManager, needles: string[], apply: (value: unknown) => unknown): Promise<number> {
    let count = 0;
    const journal = holding('payload', needles);
    for (const row of await select<{ id: number; payload: string }>(em, `SELECT id, payload FROM journal WHERE ${journal.sql}`, journal.parameters)) {
      const payload = JSON.parse(row.payload);
      const rewritten = apply(payload);
      if (!changed(payload, rewritten)) continue;
      await run(em, 'UPDATE journal SET payload = ? WHERE id = ?', [JSON.stringify(rewritten), row.id]);
      count++;
    }
    const answers = holding('response', needles);
    for (const row of await select<{ key: string; response: string }>(em, `SELECT key, response FROM idempotency_keys WHERE ${answers.sql}`, answers.parameters)) {
      const response = JSON.parse(row.response);
      const rewritten = apply(response);
      if (!changed(response, rewritten)) continue;
      await run(em, 'UPDATE idempotency_keys SET response = ? WHERE key = ?', [JSON.stringify(rewritten), row.key]);
      count++;
    }
    return count;
  }
}
