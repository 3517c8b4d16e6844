import { randomBytes } from 'node:crypto';
import type { WebDatabase } from '../data/tables.js';
import { hashPassword } from './passwords.js';

/** Domain of the demonstration staff accounts that `waymark demo` loads. */
export const demoEmailDomain = '@demo.invalid';

export interface DemoSignIn {
  email: string;
  displayName: string;
  roles: string[];
  password: string;
}

/**
 * Gives every demonstration staff member (email ending `@demo.invalid`) a new random
 * password and returns the sign-ins to print. Real accounts are never touched. Each run
 * makes new passwords, so a printed list from an earlier run stops working. Each run also
 * clears the accounts' second factors, locks and sessions: a demonstration administrator
 * sets up an authenticator app at first sign-in, as a real one does.
 */
export async function setDemoPasswords(db: WebDatabase): Promise<DemoSignIn[]> {
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'email', 'display_name', 'roles', 'version'])
    .where('email', 'like', `%${demoEmailDomain}`)
    .where('disabled_at', 'is', null)
    .orderBy('email')
    .execute();

  const signIns: DemoSignIn[] = [];
  for (const member of staff) {
    const password = readablePassword();
    await db
      .updateTable('staff')
      .set({
        password_hash: await hashPassword(password),
        totp_secret: null,
        totp_pending_secret: null,
        totp_last_step: null,
        failed_sign_ins: 0,
        locked_until: null,
        version: member.version + 1,
      })
      .where('id', '=', member.id)
      .execute();
    await db.deleteFrom('sessions').where('staff_id', '=', member.id).execute();
    signIns.push({ email: member.email, displayName: member.display_name, roles: member.roles, password });
  }
  return signIns;
}

/**
 * Four groups of four from 32 unambiguous letters and digits (80 bits): easy to type from a
 * printed list, and at 19 characters long enough for the password rules.
 */
function readablePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz023456789';
  const bytes = randomBytes(16);
  let text = '';
  bytes.forEach((byte, index) => {
    if (index > 0 && index % 4 === 0) text += '-';
    text += alphabet[byte % alphabet.length];
  });
  return text;
}
