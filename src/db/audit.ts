import type { Kysely } from 'kysely';
import type { Database, NewAuditEvent } from './schema.js';

/**
 * One entry of the append-only audit trail. There is deliberately no function to change
 * or remove an entry: the database rejects UPDATE, DELETE and TRUNCATE on `audit_events`.
 */
export interface AuditEvent {
  /** `staff:<id>` (see `staffActor`), `system:cli`, or `import` and `demo` from library callers. */
  actor: string;
  /** Action name, such as `client.add`, `client.view` or `staff.disable`. */
  action: string;
  /** Kind of record acted on, such as `client`, `episode` or `staff`. */
  entity: string;
  entityId: string | number;
  /** The client the record belongs to, so the event appears in that client's access history. */
  clientId?: number | null;
  /** The record before the change; secrets are dropped (see `withoutSecrets`). */
  before?: unknown;
  /** The record after the change, or details of a view or export; secrets are dropped. */
  after?: unknown;
  reason?: string;
}

/** The actor recorded for everything a command-line run does without `--as`. */
export const systemCliActor = 'system:cli';

/** Formats the actor of a signed-in staff member, or of a command run with `--as`. */
export function staffActor(staffId: number): string {
  return `staff:${staffId}`;
}

/** Returns the staff id of a `staff:<id>` actor, or null for a system actor. */
export function staffIdOfActor(actor: string): number | null {
  const match = /^staff:(\d{1,9})$/.exec(actor);
  return match ? Number(match[1]) : null;
}

/** Keys whose values never enter the audit trail: passwords, their hashes, second-factor secrets and tokens. */
const secretKeyPattern = /password|secret|token|csrf/i;

/**
 * Returns a copy of a JSON-like value without any property whose name looks like a
 * secret (see `secretKeyPattern`), at any depth. Callers already leave secrets out, so this
 * only guards against a later change that passes a whole staff row.
 */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!secretKeyPattern.test(key)) copy[key] = withoutSecrets(item);
  }
  return copy;
}

/** Builds the `audit_events` row of an event, for callers that insert many rows at once. */
export function auditEventRow(event: AuditEvent): NewAuditEvent {
  return {
    actor: event.actor,
    actor_staff_id: staffIdOfActor(event.actor),
    action: event.action,
    entity: event.entity,
    entity_id: String(event.entityId),
    client_id: event.clientId ?? null,
    before: event.before === undefined ? null : JSON.stringify(withoutSecrets(event.before)),
    after: event.after === undefined ? null : JSON.stringify(withoutSecrets(event.after)),
    reason: event.reason ?? null,
  };
}

/**
 * Records one event in the audit trail, in the caller's transaction. If the insert fails
 * the error propagates, so the caller's transaction, and with it the change, is rolled back.
 */
export async function recordAuditEvent(db: Kysely<Database>, event: AuditEvent): Promise<void> {
  await db.insertInto('audit_events').values(auditEventRow(event)).execute();
}

/**
 * Names the top-level fields whose values differ between `before` and `after`, in
 * alphabetical order. The audit pages show these names in place of the values, which may
 * be clinical.
 */
export function changedFieldNames(before: unknown, after: unknown): string[] {
  const beforeObject = isPlainObject(before) ? before : {};
  const afterObject = isPlainObject(after) ? after : {};
  const keys = new Set([...Object.keys(beforeObject), ...Object.keys(afterObject)]);
  return [...keys].filter((key) => JSON.stringify(beforeObject[key]) !== JSON.stringify(afterObject[key])).sort();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
