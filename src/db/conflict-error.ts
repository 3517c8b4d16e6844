/** The entities that carry an optimistic-locking version. */
export type VersionedEntity = 'client' | 'episode' | 'intervention' | 'review';

/**
 * Raised when a record changed after the caller read it: an update is made only
 * `where version = <the version read>`, and no row matched.
 */
export class ConflictError extends Error {
  readonly entity: VersionedEntity;
  /** The record's stable identifier (CLIENTID, EPISODID, MODID or SUBMID). */
  readonly ref: string;
  readonly expectedVersion: number;

  constructor(entity: VersionedEntity, ref: string, expectedVersion: number) {
    super(
      `The ${entity} ${ref} was changed by someone else after it was read (version ${expectedVersion} expected). ` +
        'Reload the record and make the change again.',
    );
    this.name = 'ConflictError';
    this.entity = entity;
    this.ref = ref;
    this.expectedVersion = expectedVersion;
  }
}
