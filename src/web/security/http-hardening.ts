import { readFile } from 'node:fs/promises';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { nhsukDistDirectory } from '../render.js';

/** Maximum request body, in bytes. An estimate with room to spare: the biggest form, a review with every item ticked, is a few kilobytes. */
export const requestBodyLimitBytes = 64 * 1024;

/** Maximum length of any one form field, in characters. Passwords have their own, lower maximum. */
export const formFieldMaxLength = 1000;

/**
 * The Content-Security-Policy: every script, style, image, font and request comes from
 * Waymark itself, with no inline scripts or styles, no plugins, and no framing.
 */
export const contentSecurityPolicyDirectives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/**
 * Adds the security headers (helmet) and serves the NHS.UK stylesheet without its web
 * fonts. Over HTTPS (`secure`) it also sends HSTS and upgrade-insecure-requests, which
 * would break pages served over plain loopback HTTP.
 */
export async function registerHttpHardening(app: FastifyInstance, secure: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: secure ? { ...contentSecurityPolicyDirectives, upgradeInsecureRequests: [] } : contentSecurityPolicyDirectives,
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: secure ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
  });

  const stylesheet = stripWebFonts(await readFile(`${nhsukDistDirectory}/nhsuk/nhsuk-frontend.min.css`, 'utf8'));
  // A route with an exact path wins over the static files' wildcard under /assets/nhsuk/.
  app.get('/assets/nhsuk/nhsuk-frontend.min.css', { config: { public: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );
}

/**
 * Removes the `@font-face` rules from the compiled NHS.UK stylesheet. They load Frutiger
 * from assets.nhs.uk, another organisation's host that Waymark must not depend on and that
 * `font-src 'self'` blocks. Without them, text falls back to the stylesheet's own
 * fallback fonts (Arial, sans-serif), which is also what browsers show when that host is unreachable.
 */
export function stripWebFonts(css: string): string {
  return css.replace(/@font-face\s*\{[^}]*\}/g, '');
}

/**
 * Finds the first form field longer than `formFieldMaxLength`, so the request can be
 * rejected with a message naming it rather than stored truncated or failing later.
 */
export function overlongField(body: unknown): { name: string; length: number } | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' && item.length > formFieldMaxLength) return { name, length: item.length };
    }
  }
  return undefined;
}
