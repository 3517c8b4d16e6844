import { randomBytes, randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { sessionCookieName, findSessionStaff } from './accounts/sessions.js';
import type { Listen } from '../db/notices.js';
import type { WebDatabase } from './data/tables.js';
import { createViewEnvironment, nhsukDistDirectory, staticDirectory } from './render.js';
import { registerAccountRoutes } from './routes/account.js';
import { registerAdminRoutes } from './routes/admin-staff.js';
import { registerBreakGlassRoutes } from './routes/break-glass.js';
import { registerCorrectionGrantRoutes } from './routes/correction-grants.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerCaseloadRoutes } from './routes/caseload.js';
import { registerClientRoutes } from './routes/clients.js';
import { registerDataQualityRoutes } from './routes/data-quality.js';
import { registerEpisodeRoutes } from './routes/episodes.js';
import { registerInterventionRoutes } from './routes/interventions.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerMonthEndRoutes } from './routes/month-end.js';
import { registerMonthEndSubmissionRoutes } from './routes/month-end-submissions.js';
import { registerReviewRoutes } from './routes/reviews.js';
import { registerReviewEditRoutes } from './routes/review-edit.js';
import { registerSetupRoutes } from './routes/setup.js';
import { registerSignInRoutes } from './routes/sign-in.js';
import type { WebSettings } from './settings.js';
import { defaultWebSettings } from './settings.js';
import { SessionCache } from './accounts/session-cache.js';
import { nullCharacterMessage, overlongFieldMessage } from './forms/field-labels.js';
import { RepeatedFieldError } from './forms/form-errors.js';
import { ClientRecordCache } from './data/client-record-cache.js';
import { FindingsCache } from './data/findings-cache.js';
import { homePathFor, navigationFor } from './navigation.js';
import { hasPermission } from './security/permissions.js';
import { SearchSealer } from './security/sealed-search.js';
import type { RoutePermission } from './security/permissions.js';
import { formFieldMaxLength, overlongField, registerHttpHardening, requestBodyLimitBytes } from './security/http-hardening.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Token the set-up page requires while no account exists. */
    setupToken: string;
    /** Every route the app registered, with what it requires; static files are left out. */
    registeredRoutes: RegisteredRoute[];
  }
  interface FastifyContextConfig {
    /** The permission a signed-in member of staff needs for this route, or a list of which any one suffices. */
    permission?: RoutePermission;
    /** Marks a route reachable without signing in, such as sign-in itself. */
    public?: boolean;
  }
  interface FastifyReply {
    /** Renders a template inside the layout and sends it as HTML. */
    view(template: string, context: Record<string, unknown>, request: FastifyRequest): Promise<FastifyReply>;
  }
}

/** A route as registered: method, URL pattern and the permission it needs, or public. */
export interface RegisteredRoute {
  method: string;
  url: string;
  /** Undefined for a public route. */
  permission: RoutePermission | undefined;
  public: boolean;
}

export interface ServerOptions {
  db: WebDatabase;
  logger: Logger;
  /** Token the first administrator must enter on the set-up page; random when not given. */
  setupToken?: string;
  settings?: Partial<WebSettings>;
  /**
   * Marks the cookies Secure and adds the HTTPS-only headers (HSTS, upgrade-insecure-requests).
   * Off for loopback HTTP in tests and development.
   */
  secureCookies?: boolean;
  /** The clock for sessions, locks and TOTP codes. Tests pass one they can move forward. */
  now?: () => Date;
  /** 32-byte key that seals caseload searches in URLs; random per process when not given. */
  searchKey?: Buffer;
  /** The client record cache; tests pass one that simulates another writer. */
  records?: ClientRecordCache;
  /**
   * Listens for the database's notices. With it, signed-in sessions are kept in memory and
   * dropped on each staff change notice; without it, every request reads its session.
   */
  listen?: Listen;
  /**
   * Comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is
   * believed, so the sign-in limit per address counts each client, not the proxy.
   */
  trustedProxies?: string;
}

/** Static files, served to anyone and outside the permission matrix. */
const staticPrefixes = ['/assets/', '/static/'];

/** Form methods that change something, so they need a CSRF token. */
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds the web app. Tests call `inject` on the result; `start.ts` listens on a port. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const settings: WebSettings = { ...defaultWebSettings, ...options.settings };
  const setupToken = options.setupToken ?? randomBytes(12).toString('base64url');
  const now = options.now ?? (() => new Date());
  const secureCookies = options.secureCookies ?? false;
  const app = Fastify({
    bodyLimit: requestBodyLimitBytes,
    ...(options.trustedProxies ? { trustProxy: options.trustedProxies } : {}),
    loggerInstance: options.logger as FastifyBaseLogger,
    // Fastify's own request logs carry the full URL. A client search puts initials and a date
    // of birth in its query, so the onResponse hook below logs the route pattern instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
  });

  app.decorate('setupToken', setupToken);
  requirePermissionOnEveryRoute(app);
  await registerHttpHardening(app, secureCookies);
  await registerPlugins(app, secureCookies);
  decorateView(app);
  registerRequestLogging(app);
  const sessions = new SessionCache();
  if (options.listen) {
    const stopListening = await sessions.listen(options.listen);
    app.addHook('onClose', stopListening);
  }
  registerSessionHook(app, options.db, sessions, now, settings.sessionIdleMinutes * 60_000);
  registerNoStoreForStaff(app);
  registerGuards(app);

  const context = {
    db: options.db,
    settings,
    setupToken,
    secureCookies,
    findings: new FindingsCache(),
    records: options.records ?? new ClientRecordCache(),
    sessions,
    now,
    searches: new SearchSealer(options.searchKey),
  };
  registerSetupRoutes(app, context);
  registerSignInRoutes(app, context);
  registerAccountRoutes(app, context);
  registerAdminRoutes(app, context);
  registerAuditRoutes(app, context);
  registerCaseloadRoutes(app, context);
  registerClientRoutes(app, context);
  registerEpisodeRoutes(app, context);
  registerInterventionRoutes(app, context);
  registerReviewRoutes(app, context);
  registerReviewEditRoutes(app, context);
  registerReportRoutes(app, context);
  registerDataQualityRoutes(app, context);
  registerBreakGlassRoutes(app, context);
  registerCorrectionGrantRoutes(app, context);
  registerMonthEndRoutes(app, context);
  registerMonthEndSubmissionRoutes(app, context);
  app.get('/health', { config: { public: true } }, async () => ({ status: 'ok' }));
  // Browsers request a favicon on every page. An empty reply avoids a logged 404 each time.
  app.get('/favicon.ico', { config: { public: true } }, async (_request, reply) => reply.code(204).send());

  app.setNotFoundHandler(sendPageNotFound);
  app.setErrorHandler(async (error, request, reply) => {
    const code = (error as { code?: unknown }).code;
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    if (code === 'FST_CSRF_MISSING_SECRET' || code === 'FST_CSRF_INVALID_TOKEN') {
      request.log.warn({ route: request.routeOptions.url, code }, 'form rejected: CSRF token missing or invalid');
      return reply.code(403).view('message.njk', {
        pageTitle: 'This form has expired',
        heading: 'This form has expired',
        body: 'Nothing was saved. Go back, reload the page and send the form again.',
      }, request);
    }
    if (status === 429) {
      // The rate limiter has already set Retry-After.
      request.log.warn({ route: request.routeOptions.url, ip: request.ip }, 'request rejected: too many sign-in attempts from one address');
      return reply.code(429).view('message.njk', {
        pageTitle: 'Too many sign-in attempts',
        heading: 'Too many sign-in attempts',
        body: `There have been too many sign-in attempts from your network address. Wait ${String(reply.getHeader('retry-after') ?? 'a few')} seconds, then try again.`,
      }, request);
    }
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      request.log.info({ route: request.routeOptions.url, limitBytes: requestBodyLimitBytes }, 'request rejected: body too large');
      return reply.code(413).view('message.njk', {
        pageTitle: 'The form is too large',
        heading: 'The form is too large',
        body: `Nothing was saved. A form can be at most ${requestBodyLimitBytes / 1024} KB. Go back and shorten the longest answers.`,
      }, request);
    }
    if (error instanceof RepeatedFieldError) {
      request.log.info({ route: request.routeOptions.url, field: error.fieldName }, 'request rejected: a field was sent more than once');
      return reply.code(400).view('message.njk', { pageTitle: 'An answer was sent more than once', heading: 'An answer was sent more than once', body: error.message }, request);
    }
    if (status >= 400 && status < 500) {
      request.log.info({ route: request.routeOptions.url, status, code }, 'request rejected: could not be read');
      return reply.code(status).view('message.njk', {
        pageTitle: 'The request could not be read',
        heading: 'The request could not be read',
        body: 'Nothing was saved. Go back, reload the page and send the form again.',
      }, request);
    }
    request.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
    return reply.code(status).view('message.njk', {
      pageTitle: 'Sorry, there is a problem with the service',
      heading: 'Sorry, there is a problem with the service',
      body: `Nothing was saved. Try again later. Quote reference ${request.id} if you report it.`,
    }, request);
  });

  return app;
}

/**
 * Refuses to start with a route that names no permission, so a new page cannot be left
 * open by forgetting to protect it. Records every route in `app.registeredRoutes`, which
 * the permissions reference and the access matrix tests read. HEAD routes, which Fastify
 * adds for each GET, are left out of the record.
 */
function requirePermissionOnEveryRoute(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (staticPrefixes.some((prefix) => route.url.startsWith(prefix))) return;
    const config = route.config as { permission?: RoutePermission; public?: boolean } | undefined;
    if (config?.public !== true && config?.permission === undefined) {
      throw new Error(`Route ${route.method.toString()} ${route.url} names no permission: add config.permission or config.public`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, permission: config.permission, public: config.public === true });
    }
  });
}

async function registerPlugins(app: FastifyInstance, secureCookies: boolean): Promise<void> {
  await app.register(formbody, { bodyLimit: requestBodyLimitBytes });
  // Only routes that name a `rateLimit` in their config are limited (the sign-in forms).
  await app.register(rateLimit, { global: false });
  await app.register(cookie);
  // The CSRF secret lives in its own cookie, so forms shown before sign-in (sign-in, set-up)
  // carry a token as well. SameSite=Strict keeps the secret off every cross-site request.
  await app.register(csrfProtection, { cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies } });
  await app.register(fastifyStatic, { root: `${nhsukDistDirectory}/nhsuk`, prefix: '/assets/nhsuk/' });
  // The NHS.UK stylesheet names its icons as /assets/images/..., from the site root.
  await app.register(fastifyStatic, { root: `${nhsukDistDirectory}/nhsuk/assets/images`, prefix: '/assets/images/', decorateReply: false });
  await app.register(fastifyStatic, { root: staticDirectory, prefix: '/static/', decorateReply: false });
}

function decorateView(app: FastifyInstance): void {
  const environment = createViewEnvironment();
  app.decorateRequest('staff', null);
  app.decorateRequest('correctionGrantId', null);
  app.decorateReply('view', async function (this: FastifyReply, template: string, context: Record<string, unknown>, request: FastifyRequest) {
    const staff = request.staff;
    const html = environment.render(template, {
      csrfToken: this.generateCsrf(),
      currentStaff: staff,
      navigation: staff ? navigationFor(staff, request.url) : [],
      homePath: staff ? homePathFor(staff) : '/',
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });
}

function registerRequestLogging(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime),
        staffId: request.staff?.id,
      },
      'request completed',
    );
  });
}

/** Pages an administrator without a second factor may still open. */
const secondFactorSetUpPaths = new Set(['/account/second-factor', '/sign-out']);

/**
 * Sends every page to set-up while no account exists, and to sign-in without a live
 * session. Once an account exists the set-up page stays closed, so the check stops.
 * An administrator without a second factor is sent to set one up before any other page.
 */
function registerSessionHook(app: FastifyInstance, db: WebDatabase, sessions: SessionCache, now: () => Date, idleMs: number): void {
  let accountsExist = false;
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (staticPrefixes.some((prefix) => path.startsWith(prefix)) || path === '/health' || path === '/favicon.ico') return;

    if (!accountsExist) {
      const row = await db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
      accountsExist = row !== undefined;
      if (!accountsExist && !path.startsWith('/setup')) return reply.redirect('/setup');
    }

    const token = request.cookies[sessionCookieName];
    if (token) request.staff = (await findSessionStaff(db, token, now(), idleMs, sessions)) ?? null;
    if (request.staff && mustSetUpSecondFactor(request.staff) && !secondFactorSetUpPaths.has(path)) {
      return reply.redirect('/account/second-factor', request.method === 'GET' ? 302 : 303);
    }
    if (request.routeOptions.config.public === true) return;
    if (!request.staff) return reply.redirect('/sign-in');
  });
}

/** Sends the NHS.UK "Page not found" page with status 404. */
async function sendPageNotFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return reply.code(404).view('message.njk', { pageTitle: 'Page not found', heading: 'Page not found', body: 'Check the address, or go back to your caseload.' }, request);
}

/**
 * Marks every response to a signed-in member of staff `Cache-Control: no-store`, so pages
 * with client records are kept neither in the browser's cache nor in a shared proxy's.
 * Static files under `staticPrefixes` keep their own caching: the session hook never signs
 * in their requests, and they are skipped here as well.
 */
function registerNoStoreForStaff(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const path = request.url.split('?')[0] ?? '/';
    if (request.staff && !staticPrefixes.some((prefix) => path.startsWith(prefix))) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/** Name of the first form field holding a null character (U+0000), which PostgreSQL text cannot store. */
function fieldWithNullCharacter(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  for (const [name, value] of Object.entries(body)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((item) => typeof item === 'string' && item.includes('\u0000'))) return name;
  }
  return undefined;
}

function mustSetUpSecondFactor(staff: { roles: string[]; hasSecondFactor: boolean }): boolean {
  return staff.roles.includes('administrator') && !staff.hasSecondFactor;
}

/**
 * Checks every form's CSRF token, then the route's permission against the signed-in staff
 * member's roles. Runs after the body is parsed, because the token travels in the form.
 */
function registerGuards(app: FastifyInstance): void {
  // Record ids in URLs are database integers. Anything else names a page that cannot exist,
  // so it gets a 404 before a handler passes NaN or an out-of-range number to a query.
  app.addHook('preHandler', async (request, reply) => {
    const { id } = (request.params ?? {}) as { id?: unknown };
    // The page is sent from here rather than through `reply.callNotFound()`, because the
    // not-found handler runs these hooks again on the same params, and Fastify then falls
    // back to a plain-text 404.
    if (id !== undefined && !(typeof id === 'string' && /^\d{1,9}$/.test(id))) return sendPageNotFound(request, reply);
  });
  app.addHook('preHandler', async (request, reply) => {
    const field = fieldWithNullCharacter(request.body);
    if (field === undefined) return;
    request.log.info({ route: request.routeOptions.url, field }, 'form rejected: null character in a field');
    return reply.code(400).view('message.njk', {
      pageTitle: 'The form contains a character that cannot be saved',
      heading: 'The form contains a character that cannot be saved',
      body: nullCharacterMessage(field),
    }, request);
  });
  app.addHook('preValidation', async (request, reply) => {
    const field = overlongField(request.body);
    if (!field) return;
    request.log.info({ route: request.routeOptions.url, field: field.name, length: field.length }, 'form rejected: field too long');
    return reply.code(400).view('message.njk', {
      pageTitle: 'An answer is too long',
      heading: 'An answer is too long',
      body: overlongFieldMessage(field.name, field.length, formFieldMaxLength),
    }, request);
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (unsafeMethods.has(request.method)) app.csrfProtection(request, reply, done);
    else done();
  });
  app.addHook('preHandler', async (request, reply) => {
    const { permission } = request.routeOptions.config;
    if (permission === undefined || request.staff === null) return;
    if (hasPermission(request.staff.roles, permission)) return;
    request.log.info({ staffId: request.staff.id, route: request.routeOptions.url, permission }, 'request rejected: role lacks permission');
    return reply.code(403).view('message.njk', {
      pageTitle: 'You do not have access to this page',
      heading: 'You do not have access to this page',
      body: 'Your roles do not include this page. Ask an administrator if you need it for your work.',
    }, request);
  });
}
