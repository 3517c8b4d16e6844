import { Secret, TOTP } from 'otpauth';
import { renderSVG } from 'uqr';

/** Issuer shown in authenticator apps beside the account's email address. */
const issuer = 'Waymark';

/**
 * RFC 6238 parameters every authenticator app supports: SHA-1, 6 digits, 30-second steps.
 * One step either side of the current one is accepted, to allow for clock drift and typing time.
 */
const totpParameters = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
const acceptedDriftSteps = 1;

/** Makes a new random TOTP secret (160 bits, as RFC 4226 recommends) in base32. */
export function createTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** Builds the `otpauth://` URI that an authenticator app reads from the QR code. */
export function totpUri(secret: string, email: string): string {
  return new TOTP({ issuer, label: email, secret: Secret.fromBase32(secret), ...totpParameters }).toString();
}

/** Computes the code an authenticator app shows at `now`. Tests use it to sign in; no page shows it. */
export function totpCodeAt(secret: string, now: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now.getTime(), ...totpParameters });
}

/**
 * Checks a code typed by the staff member and returns its time step (Unix seconds / 30),
 * or undefined when the code is wrong. A code whose step is not after `lastStep`, the
 * step of the last code accepted, is rejected, so an observed code cannot be replayed.
 */
export function acceptTotpCode(secret: string, code: string, now: Date, lastStep: number | null): number | undefined {
  const digits = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(digits)) return undefined;
  const delta = TOTP.validate({ token: digits, secret: Secret.fromBase32(secret), timestamp: now.getTime(), window: acceptedDriftSteps, ...totpParameters });
  if (delta === null) return undefined;
  const step = TOTP.counter({ period: totpParameters.period, timestamp: now.getTime() }) + delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}

/**
 * Draws the `otpauth://` URI as an SVG QR code, built on the server with no inline styles
 * so the Content-Security-Policy allows it. Screen readers get a label pointing to the
 * secret shown as text beside it.
 */
export function totpQrCodeSvg(uri: string): string {
  return renderSVG(uri, { border: 2 }).replace('<svg ', '<svg class="waymark-qr-code" role="img" aria-label="QR code for your authenticator app. The same key is shown as text." ');
}

/** Splits a base32 secret into groups of four, easier to read and type. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
