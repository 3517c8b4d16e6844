import { randomBytes, randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { sessionCookieName, findSessionStaff } from './accounts/sessions.js';
import type { WebDatabase } from './data/tables.js';
import { createViewEnvironment, nhsukDistDirectory, staticDirectory } from './render.js';
import { registerAdminRoutes } from './routes/admin-staff.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerCaseloadRoutes } from './routes/caseload.js';
import { registerClientRoutes } from './routes/clients.js';
import { registerEpisodeRoutes } from './routes/episodes.js';
import { registerInterventionRoutes } from './routes/interventions.js';
import { registerReviewRoutes } from './routes/reviews.js';
import { registerSetupRoutes } from './routes/setup.js';
import { registerSignInRoutes } from './routes/sign-in.js';
import type { WebSettings } from './settings.js';
import { defaultWebSettings } from './settings.js';
import { FindingsCache } from './data/findings-cache.js';
import { homePathFor, navigationFor } from './navigation.js';
import { hasPermission } from './security/permissions.js';
import type { Permission } from './security/permissions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Token the set-up page requires while no account exists. */
    setupToken: string;
  }
  interface FastifyContextConfig {
    /** The permission a signed-in member of staff needs for this route. */
    permission?: Permission;
    /** Marks a route reachable without signing in, such as sign-in itself. */
    public?: boolean;
  }
  interface FastifyReply {
    /** Renders a template inside the layout and sends it as HTML. */
    view(template: string, context: Record<string, unknown>, request: FastifyRequest): Promise<FastifyReply>;
  }
}

export interface ServerOptions {
  db: WebDatabase;
  logger: Logger;
  /** Token the first administrator must enter on the set-up page; random when not given. */
  setupToken?: string;
  settings?: Partial<WebSettings>;
  /** Marks the session cookie Secure. Off for loopback HTTP in tests and development. */
  secureCookies?: boolean;
}

/** Static files, served to anyone and outside the permission matrix. */
const staticPrefixes = ['/assets/', '/static/'];

/** Form methods that change something, so they need a CSRF token. */
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds the web app. Tests call `inject` on the result; `start.ts` listens on a port. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const settings: WebSettings = { ...defaultWebSettings, ...options.settings };
  const setupToken = options.setupToken ?? randomBytes(12).toString('base64url');
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Fastify's own request logs carry the full URL. A client search puts initials and a date
    // of birth in its query, so the onResponse hook below logs the route pattern instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
  });

  app.decorate('setupToken', setupToken);
  requirePermissionOnEveryRoute(app);
  await registerPlugins(app, options.secureCookies ?? false);
  decorateView(app);
  registerRequestLogging(app);
  registerSessionHook(app, options.db);
  registerGuards(app);

  const context = { db: options.db, settings, setupToken, secureCookies: options.secureCookies ?? false, findings: new FindingsCache() };
  registerSetupRoutes(app, context);
  registerSignInRoutes(app, context);
  registerAdminRoutes(app, context);
  registerAuditRoutes(app, context);
  registerCaseloadRoutes(app, context);
  registerClientRoutes(app, context);
  registerEpisodeRoutes(app, context);
  registerInterventionRoutes(app, context);
  registerReviewRoutes(app, context);
  app.get('/health', { config: { public: true } }, async () => ({ status: 'ok' }));
  // Browsers request a favicon on every page. An empty reply avoids a logged 404 each time.
  app.get('/favicon.ico', { config: { public: true } }, async (_request, reply) => reply.code(204).send());

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).view('message.njk', { pageTitle: 'Page not found', heading: 'Page not found', body: 'Check the address, or go back to your caseload.' }, request),
  );
  app.setErrorHandler(async (error, request, reply) => {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_CSRF_MISSING_SECRET' || code === 'FST_CSRF_INVALID_TOKEN') {
      request.log.warn({ route: request.routeOptions.url, code }, 'form rejected: CSRF token missing or invalid');
      return reply.code(403).view('message.njk', {
        pageTitle: 'This form has expired',
        heading: 'This form has expired',
        body: 'Nothing was saved. Go back, reload the page and send the form again.',
      }, request);
    }
    request.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
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
 * open by forgetting to protect it.
 */
function requirePermissionOnEveryRoute(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (staticPrefixes.some((prefix) => route.url.startsWith(prefix))) return;
    const config = route.config as { permission?: Permission; public?: boolean } | undefined;
    if (config?.public === true || config?.permission !== undefined) return;
    throw new Error(`Route ${route.method.toString()} ${route.url} names no permission: add config.permission or config.public`);
  });
}

async function registerPlugins(app: FastifyInstance, secureCookies: boolean): Promise<void> {
  await app.register(formbody);
  await app.register(cookie);
  // The CSRF secret lives in its own cookie, so forms shown before sign-in (sign-in, set-up)
  // carry a token as well. SameSite=Strict keeps the secret off every cross-site request.
  await app.register(csrfProtection, { cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies } });
  await app.register(fastifyStatic, { root: `${nhsukDistDirectory}/nhsuk`, prefix: '/assets/nhsuk/' });
  await app.register(fastifyStatic, { root: staticDirectory, prefix: '/static/', decorateReply: false });
}

function decorateView(app: FastifyInstance): void {
  const environment = createViewEnvironment();
  app.decorateRequest('staff', null);
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

/**
 * Sends every page to set-up while no account exists, and to sign-in without a live
 * session. Once an account exists the set-up page stays closed, so the check stops.
 */
function registerSessionHook(app: FastifyInstance, db: WebDatabase): void {
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
    if (token) request.staff = (await findSessionStaff(db, token)) ?? null;
    if (request.routeOptions.config.public === true) return;
    if (!request.staff) return reply.redirect('/sign-in');
  });
}

/**
 * Checks every form's CSRF token, then the route's permission against the signed-in staff
 * member's roles. Runs after the body is parsed, because the token travels in the form.
 */
function registerGuards(app: FastifyInstance): void {
  app.addHook('preHandler', (request, reply, done) => {
    if (unsafeMethods.has(request.method)) app.csrfProtection(request, reply, done);
    else done();
  });
  app.addHook('preHandler', async (request, reply) => {
    const { permission } = request.routeOptions.config;
    if (permission === undefined || request.staff === null) return;
    if (hasPermission(request.staff.roles, permission)) return;
    request.log.info({ staffId: request.staff.id, route: request.routeOptions.url, permission }, 'request refused: role lacks permission');
    return reply.code(403).view('message.njk', {
      pageTitle: 'You do not have access to this page',
      heading: 'You do not have access to this page',
      body: 'Your roles do not include this page. Ask an administrator if you need it for your work.',
    }, request);
  });
}
