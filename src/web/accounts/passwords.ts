import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/** Shortest password accepted; a passphrase of a few words easily passes. */
export const minimumPasswordLength = 12;

/** Maximum password length, which bounds hashing cost. It is far beyond any passphrase. */
export const maximumPasswordLength = 256;

/**
 * The 49,233 passwords most often found in breaches, from `@zxcvbn-ts/language-common`
 * (MIT licence), lower-cased. Only about 300 of them are 12 characters or longer, but
 * those are exactly the long ones people pick, such as `qwerty123456`.
 */
const commonPasswords = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

/** Hashes a password with argon2id, the `@node-rs/argon2` default (19 MiB, 2 passes). */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Checks a password against a stored argon2 hash; a malformed hash counts as a mismatch. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/**
 * Returns the problem with a new password, or undefined when it is acceptable. The rules
 * follow NCSC password guidance: a minimum length and a check against common passwords,
 * with no rules about mixing character types. Case and spaces are ignored in the check,
 * so `Qwerty 123456` is rejected as well.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < minimumPasswordLength) {
    return `Enter a password of at least ${minimumPasswordLength} characters. Yours has ${password.length}.`;
  }
  if (password.length > maximumPasswordLength) {
    return `Enter a password of at most ${maximumPasswordLength} characters. Yours has ${password.length}.`;
  }
  const folded = password.toLowerCase().replace(/\s+/g, '');
  if (commonPasswords.has(folded)) {
    return 'This password is one of the most common passwords, so it is easy to guess. Choose another, for example three or four unrelated words.';
  }
  if (email !== undefined && folded === email.toLowerCase()) {
    return 'Your password must not be your email address. Choose another, for example three or four unrelated words.';
  }
  return undefined;
}
