import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './route-context.js';

export function registerEpisodeRoutes(_app: FastifyInstance, _context: RouteContext): void {}
