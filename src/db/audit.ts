import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AuditEvent {
  /** `staff:<id>`, `cli`, `import` or `demo`. */
  actor: string;
  /** Action name, such as `client.add` or `client.update`. */
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

/** Records one change in the audit trail, in the caller's transaction. */
export async function recordAuditEvent(db: Kysely<Database>, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      actor: event.actor,
      action: event.action,
      entity: event.entity,
      entity_id: String(event.entityId),
      before: event.before === undefined ? null : JSON.stringify(event.before),
      after: event.after === undefined ? null : JSON.stringify(event.after),
      reason: event.reason ?? null,
    })
    .execute();
}
