import type { StaffRole } from '../accounts/roles.js';

/**
 * The permission matrix: every action a route performs, and the roles that may perform it.
 * Every route names one of these, or a list of which any one suffices, in its
 * `config.permission` (or is marked public), and one hook in `server.ts` enforces it, so
 * the matrix below is the whole of role-based access. Which clients a role reaches (its
 * scope) is decided in `data/access.ts`.
 */
export const permissions = {
  'caseload:view': {
    description: 'List clients and search for them.',
    roles: ['keyworker', 'prescriber', 'team-leader', 'data-officer'],
  },
  'client:view': {
    description: 'Open a client record: identity, episodes, interventions and reviews.',
    roles: ['keyworker', 'prescriber', 'team-leader', 'data-officer'],
  },
  'client:edit': {
    description: 'Add or change clients, episodes, interventions and sub-intervention reviews.',
    roles: ['keyworker', 'prescriber', 'team-leader'],
  },
  'record:correct': {
    description: 'Ask for a correction grant on a client of one’s agencies, giving a reason, then change the client’s details, episodes and interventions while it lasts.',
    roles: ['data-officer'],
  },
  'break-glass:use': {
    description: 'Open a client outside one’s own teams for a limited time, giving a reason.',
    roles: ['keyworker', 'prescriber', 'team-leader'],
  },
  'break-glass:review': {
    description: 'List break-glass and correction grants to clients of one’s teams, to review them.',
    roles: ['team-leader'],
  },
  'reports:view': {
    description: 'See the service reports and data-quality pages.',
    roles: ['team-leader', 'data-officer'],
  },
  'month-end:manage': {
    description: 'Run the month-end check, confirm warnings, and generate, download and mark submissions as sent.',
    roles: ['data-officer'],
  },
  'staff:manage': {
    description: 'Invite, change and disable staff accounts, and set their teams, roles and competences.',
    roles: ['administrator'],
  },
  'audit:view': {
    description: 'Search and export the audit trail, and list a client’s access history.',
    roles: ['administrator'],
  },
  'account:self': {
    description: 'Manage one’s own account: sign out, change password, set up a second factor.',
    roles: ['keyworker', 'prescriber', 'team-leader', 'data-officer', 'administrator'],
  },
} as const satisfies Record<string, { description: string; roles: readonly StaffRole[] }>;

export type Permission = keyof typeof permissions;

/** The permission a route requires: one permission, or a list of which any one suffices. */
export type RoutePermission = Permission | readonly Permission[];

/** Checks whether any of the staff member's roles grants the permission, or one of the list. */
export function hasPermission(roles: readonly string[], permission: RoutePermission): boolean {
  const required: readonly Permission[] = typeof permission === 'string' ? [permission] : permission;
  return required.some((item) => {
    const allowed: readonly string[] = permissions[item].roles;
    return roles.some((role) => allowed.includes(role));
  });
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(permissions, value);
}
