import { hash, verify } from '@node-rs/argon2';

/** Shortest password accepted; a passphrase of a few words easily passes. */
export const minimumPasswordLength = 12;

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

/** Returns the problem with a new password, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < minimumPasswordLength) {
    return `Enter a password of at least ${minimumPasswordLength} characters. Yours has ${password.length}.`;
  }
  return undefined;
}
