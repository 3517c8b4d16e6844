import type { SessionCache } from '../accounts/session-cache.js';
import type { ClientRecordCache } from '../data/client-record-cache.js';
import type { FindingsCache } from '../data/findings-cache.js';
import type { SearchSealer } from '../security/sealed-search.js';
import type { WebDatabase } from '../data/tables.js';
import type { WebSettings } from '../settings.js';

/** What every group of routes receives from `buildServer`. */
export interface RouteContext {
  db: WebDatabase;
  settings: WebSettings;
  setupToken: string;
  secureCookies: boolean;
  /** Each client's findings, reused while the client's rows are unchanged. */
  findings: FindingsCache;
  /** Client records, reused while the client's version is unchanged. */
  records: ClientRecordCache;
  /** Signed-in sessions kept between requests; sign-out drops its own at once. */
  sessions: SessionCache;
  /** The current time; tests pass a clock they can move forward. */
  now: () => Date;
  /** Seals caseload searches into opaque URL tokens. */
  searches: SearchSealer;
}
