import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { sql } from 'kysely';
import type { SessionCache } from './session-cache.js';
import type { WebDatabase } from '../data/tables.js';

/** Name of the session cookie. */
export const sessionCookieName = 'waymark_session';

/** A session ends this long after sign-in, whatever the activity. */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

/** The signed-in member of staff, as pages need them. */
export interface SignedInStaff {
  id: number;
  organisationId: number;
  email: string;
  displayName: string;
  roles: string[];
  competences: string[];
  registrations: string[];
  teamIds: number[];
  /** Whether the account has a confirmed TOTP second factor. */
  hasSecondFactor: boolean;
}

/**
 * Stores only the SHA-256 of the cookie token, so a copy of the sessions table cannot be
 * replayed as cookies.
 */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session and returns the cookie token. Each sign-in gets a new token. */
export async function startSession(db: WebDatabase, staffId: number, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id: sessionIdOf(token),
      staff_id: staffId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + sessionLifetimeMs),
    })
    .execute();
  return token;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, and Secure when the service runs on HTTPS. */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  void reply.setCookie(sessionCookieName, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: sessionLifetimeMs / 1000 });
}

export async function endSession(db: WebDatabase, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionIdOf(token)).execute();
}

/** Ends every session of the staff member, on every device. Returns how many were ended. */
export async function endAllSessions(db: WebDatabase, staffId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('staff_id', '=', staffId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Maximum age of `last_seen_at` before a request writes it again. Writing it on every request
 * would double the session's cost per page, so an idle session may end up to this much early.
 */
export const lastSeenPrecisionMs = 60 * 1000;

/**
 * Finds the staff member of a live session, or undefined when the token is unknown, the
 * account is disabled, the session is past its lifetime, or no request came for `idleMs`.
 * A session found past either limit is deleted. One query reads the session, the account and
 * its teams, so sign-out, expiry and a disabled account take effect on the very next request.
 * With a `cache`, a session read recently is used without the query while it is within both
 * limits and its `last_seen_at` is not due to be written. The database's notices drop cached
 * sessions when staff, teams or sessions change.
 */
export async function findSessionStaff(db: WebDatabase, token: string, now: Date, idleMs: number, cache?: SessionCache): Promise<SignedInStaff | undefined> {
  const sessionId = sessionIdOf(token);
  const cached = cache?.get(sessionId, now);
  if (cached && isWithinLimits(cached, now, idleMs) && !isLastSeenDue(cached, now)) return cached.staff;

  const generation = cache?.generation ?? 0;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('staff', 'staff.id', 'sessions.staff_id')
    .select([
      'staff.id',
      'staff.organisation_id',
      'staff.email',
      'staff.display_name',
      'staff.roles',
      'staff.competences',
      'staff.registrations',
      'staff.disabled_at',
      'staff.totp_secret',
      'sessions.expires_at',
      'sessions.last_seen_at',
    ])
    .select(sql<number[]>`array(select staff_teams.team_id from staff_teams where staff_teams.staff_id = staff.id order by staff_teams.team_id)`.as('teamIds'))
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
  if (!row || row.disabled_at !== null) return undefined;
  const session = { expiresAt: new Date(row.expires_at), lastSeenAt: new Date(row.last_seen_at) };
  if (!isWithinLimits(session, now, idleMs)) {
    cache?.forget(sessionId);
    await endSession(db, token);
    return undefined;
  }

  if (isLastSeenDue(session, now)) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
    session.lastSeenAt = now;
  }
  const staff: SignedInStaff = {
    id: row.id,
    organisationId: row.organisation_id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    competences: row.competences,
    registrations: row.registrations,
    teamIds: row.teamIds,
    hasSecondFactor: row.totp_secret !== null,
  };
  cache?.set(sessionId, { ...session, staff, readAt: now }, generation);
  return staff;
}

function isWithinLimits(session: { expiresAt: Date; lastSeenAt: Date }, now: Date, idleMs: number): boolean {
  const pastLifetime = session.expiresAt.getTime() <= now.getTime();
  const idle = session.lastSeenAt.getTime() + idleMs <= now.getTime();
  return !pastLifetime && !idle;
}

function isLastSeenDue(session: { lastSeenAt: Date }, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= lastSeenPrecisionMs;
}
