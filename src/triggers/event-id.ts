import { createHash } from 'node:crypto';

/** A msg a trigger sends: its fields, and `eventId`, the stable id of the change it tells. */
export interface TriggerMessage {
  readonly eventId: string;
  readonly [field: string]: unknown;
}

/**
 * The id of one change, `msg.eventId`: a hash of what the change is, never
 * of when or where it was seen, so that every process and every restart that
 * sees the same change gives it the same id, and a flow (or a claim in
 * Redis) can drop a repeat. `trigger` names the kind of trigger, `scope` what
 * it watches (a workspace and model, a project); `change` the change itself
 * and the server's own stamps of it (times, versions), which is what tells
 * two alike changes apart (a stage added, removed and added again).
 */
export function eventIdOf(trigger: string, scope: string, change: readonly unknown[]): string {
  return createHash('sha256')
    .update(canonicalJson([trigger, scope, ...change]))
    .digest('hex')
    .slice(0, 32);
}

/** JSON with each object's keys in sorted order, so that equal values give equal text whatever order their keys came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.keys(field).sort().map((name) => [name, (field as Record<string, unknown>)[name]]))
      : field,
  );
}
