/**
 * Ids that follow from other ids (RFC 9562 name-based UUIDs, version 5). A reflection phase is the phase between two
 * given events and an attendance row is one person at one event, so their ids are derived rather than drawn: a
 * machine computes the same id whenever it recomputes the phases, and a projection rebuilt from the journal writes
 * the same rows.
 */
import { createHash } from 'node:crypto';

/** This programme's namespace for version-5 UUIDs (itself a random UUID, fixed once). */
const NAMESPACE = '6f1c4a52-8a2e-4d0b-9b6e-2b1f0c7d9e31';

export function derivedId(...parts: string[]): string {
  const hash = createHash('sha1')
    .update(Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(parts.join('\u0000'))
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function reflectionPhaseId(groupId: string, afterEventId: string, beforeEventId: string): string {
  return derivedId('reflection-phase', groupId, afterEventId, beforeEventId);
}

export function attendanceId(eventId: string, personId: string): string {
  return derivedId('attendance', eventId, personId);
}
