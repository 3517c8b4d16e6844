import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
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
 * Finds the staff member of a live session, or undefined when the token is unknown, the
 * account is disabled, the session is past its lifetime, or no request came for `idleMs`.
 * A session found past either limit is deleted.
 */
export async function findSessionStaff(db: WebDatabase, token: string, now: Date, idleMs: number): Promise<SignedInStaff | undefined> {
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
    .where('sessions.id', '=', sessionIdOf(token))
    .executeTakeFirst();
  if (!row || row.disabled_at !== null) return undefined;
  const pastLifetime = new Date(row.expires_at).getTime() <= now.getTime();
  const idle = new Date(row.last_seen_at).getTime() + idleMs <= now.getTime();
  if (pastLifetime || idle) {
    await endSession(db, token);
    return undefined;
  }

  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionIdOf(token)).execute();
  const teams = await db.selectFrom('staff_teams').select('team_id').where('staff_id', '=', row.id).execute();
  return {
    id: row.id,
    organisationId: row.organisation_id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    competences: row.competences,
    registrations: row.registrations,
    teamIds: teams.map((team) => team.team_id),
    hasSecondFactor: row.totp_secret !== null,
  };
}
