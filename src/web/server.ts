import { randomBytes, randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { sessionCookieName, findSessionStaff } from './accounts/sessions.js';
import type { SignedInStaff } from './accounts/sessions.js';
import type { WebDatabase } from './data/tables.js';
import { createViewEnvironment, nhsukDistDirectory, staticDirectory } from './render.js';
import { registerAdminRoutes } from './routes/admin-staff.js';
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

declare module 'fastify' {
  interface FastifyInstance {
    /** Token the set-up page requires while no account exists. */
    setupToken: string;
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

/** Paths reachable without signing in. */
const publicPrefixes = ['/assets/', '/static/', '/setup', '/sign-in', '/health', '/favicon.ico'];

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
  await registerPlugins(app);
  decorateView(app);
  registerRequestLogging(app);
  registerSessionHook(app, options.db);

  const context = { db: options.db, settings, setupToken, secureCookies: options.secureCookies ?? false, findings: new FindingsCache() };
  registerSetupRoutes(app, context);
  registerSignInRoutes(app, context);
  registerAdminRoutes(app, context);
  registerCaseloadRoutes(app, context);
  registerClientRoutes(app, context);
  registerEpisodeRoutes(app, context);
  registerInterventionRoutes(app, context);
  registerReviewRoutes(app, context);
  app.get('/health', async () => ({ status: 'ok' }));
  // Browsers request a favicon on every page. An empty reply avoids a logged 404 each time.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).view('message.njk', { pageTitle: 'Page not found', heading: 'Page not found', body: 'Check the address, or go back to your caseload.' }, request),
  );
  app.setErrorHandler(async (error, request, reply) => {
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

async function registerPlugins(app: FastifyInstance): Promise<void> {
  await app.register(formbody);
  await app.register(cookie);
  await app.register(fastifyStatic, { root: `${nhsukDistDirectory}/nhsuk`, prefix: '/assets/nhsuk/' });
  await app.register(fastifyStatic, { root: staticDirectory, prefix: '/static/', decorateReply: false });
}

function decorateView(app: FastifyInstance): void {
  const environment = createViewEnvironment();
  app.decorateRequest('staff', null);
  app.decorateReply('view', async function (this: FastifyReply, template: string, context: Record<string, unknown>, request: FastifyRequest) {
    const staff = request.staff;
    const html = environment.render(template, {
      currentStaff: staff,
      navigation: staff ? navigationFor(staff, request.url) : [],
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });
}

function navigationFor(staff: SignedInStaff, url: string): { text: string; href: string; current: boolean }[] {
  const items = [
    { text: 'Caseload', href: '/' },
    { text: 'Add a client', href: '/clients/new' },
  ];
  if (staff.roles.includes('administrator')) items.push({ text: 'Staff', href: '/admin/staff' });
  return items.map((item) => ({ ...item, current: url === item.href }));
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
    if (path.startsWith('/assets/') || path.startsWith('/static/') || path === '/health' || path === '/favicon.ico') return;

    if (!accountsExist) {
      const row = await db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
      accountsExist = row !== undefined;
      if (!accountsExist && !path.startsWith('/setup')) return reply.redirect('/setup');
    }

    const token = request.cookies[sessionCookieName];
    if (token) request.staff = (await findSessionStaff(db, token)) ?? null;
    if (publicPrefixes.some((prefix) => path.startsWith(prefix))) return;
    if (!request.staff) return reply.redirect('/sign-in');
  });
}
