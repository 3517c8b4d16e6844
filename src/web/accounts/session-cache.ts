import { staffChangeChannel } from '../../db/migrations/0011-staff-change-notices.js';
import type { Listen } from '../../db/notices.js';
import type { SignedInStaff } from './sessions.js';

/** A live session as the database last returned it, with its staff member. */
export interface CachedSession {
  staff: SignedInStaff;
  expiresAt: Date;
  lastSeenAt: Date;
  /** When the entry was read from the database. */
  readAt: Date;
}

/**
 * Live sessions kept in process, so most requests skip the session query. The database sends
 * a notice whenever staff, their teams or their sessions change (see `staffChangeChannel`),
 * and every process then drops all its entries. While the listener is not connected, nothing
 * is kept, because a change made then would not be heard.
 *
 * Between a change and its notice, a request in another process can still pass with the old
 * session: the notice comes when the change's transaction commits, within milliseconds on one
 * machine. `maxAgeMs` bounds how long an entry serves if a notice were ever lost.
 */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();
  private connected = false;
  /**
   * Raised whenever the entries are dropped. A request reads it before its session query and
   * passes it to `set`, so a row read before a change is not kept after that change's notice.
   */
  generation = 0;

  constructor(
    private readonly maxAgeMs = 15_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** Starts listening for the database's staff change notices, and returns the function that stops it. */
  async listen(listen: Listen): Promise<() => Promise<void>> {
    return listen(staffChangeChannel, {
      notice: () => this.clear(),
      connected: (isConnected) => {
        this.connected = isConnected;
        this.clear();
      },
    });
  }

  /** Returns the session with this id, or undefined when none is kept or it was read over `maxAgeMs` ago. */
  get(sessionId: string, now: Date): CachedSession | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (now.getTime() - entry.readAt.getTime() >= this.maxAgeMs || now.getTime() < entry.readAt.getTime()) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry;
  }

  /** Keeps a session read while `generation` was current. Does nothing if the entries were dropped since. */
  set(sessionId: string, session: CachedSession, generation: number): void {
    if (!this.connected || generation !== this.generation) return;
    if (!this.entries.has(sessionId) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(sessionId, session);
  }

  forget(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  private clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
