/**
 * Values worked out from one client's rows, kept in process and reused while their key is
 * unchanged. The key names everything the value depends on (a change stamp or fingerprint of
 * the rows, the day), so a stale entry is never returned, only replaced.
 *
 * Each process of a cluster has its own cache. The bound keeps memory flat for very large
 * organisations: when it is full, the entry stored first is dropped.
 */
export class PerClientCache<Value> {
  private readonly entries = new Map<number, { key: string; value: Value }>();

  constructor(private readonly maxClients = 20_000) {}

  /** Returns the client's value stored under `key`, or undefined when there is none or its key differs. */
  get(clientId: number, key: string): Value | undefined {
    const entry = this.entries.get(clientId);
    return entry && entry.key === key ? entry.value : undefined;
  }

  set(clientId: number, key: string, value: Value): void {
    if (!this.entries.has(clientId) && this.entries.size >= this.maxClients) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(clientId, { key, value });
  }

  forget(clientId: number): void {
    this.entries.delete(clientId);
  }

  get size(): number {
    return this.entries.size;
  }
}
