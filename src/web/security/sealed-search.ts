import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Search fields as the form sent them, such as `ref` or `dob-day`. */
export type SearchFields = Record<string, string>;

/** How long a sealed search stays usable, so an old link in browser history stops working. */
const searchLifetimeMs = 12 * 60 * 60 * 1000;

/**
 * Turns a client search into an opaque token for the caseload URL, and back. A search holds
 * a client reference, initials or a date of birth, none of which may appear in a URL, where
 * browser history, proxies and server logs would keep them. The token is AES-256-GCM
 * ciphertext bound to one member of staff, so it reveals nothing and opens for no one else.
 */
export class SearchSealer {
  private readonly key: Buffer;

  /** `key` is 32 bytes; every web process of one deployment must use the same key. */
  constructor(key: Buffer = randomBytes(32)) {
    if (key.length !== 32) throw new Error(`A search key must be 32 bytes, not ${key.length}`);
    this.key = key;
  }

  seal(staffId: number, fields: SearchFields, now = new Date()): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const payload = JSON.stringify({ staffId, expiresAt: now.getTime() + searchLifetimeMs, fields });
    const sealed = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** Returns the fields of a token sealed for this staff member, or undefined when it is forged, altered, expired or someone else's. */
  open(staffId: number, token: string, now = new Date()): SearchFields | undefined {
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length < 29) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      const payload = JSON.parse(text) as { staffId: number; expiresAt: number; fields: SearchFields };
      if (payload.staffId !== staffId || payload.expiresAt <= now.getTime()) return undefined;
      return payload.fields;
    } catch {
      // A failed authentication tag means the token was forged or altered.
      return undefined;
    }
  }
}

/** Reads the deployment's search key from `WAYMARK_SEARCH_KEY` (32 bytes, base64), or undefined to use a random one. */
export function searchKeyFromEnvironment(value: string | undefined): Buffer | undefined {
  if (value === undefined || value === '') return undefined;
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`WAYMARK_SEARCH_KEY must be 32 bytes in base64 (44 characters), but it decodes to ${key.length} bytes. Generate one with: openssl rand -base64 32`);
  return key;
}
