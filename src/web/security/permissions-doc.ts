import { code, generatedNotice, table } from '../../catalogue/markdown/markdown.js';
import { staffRoles } from '../accounts/roles.js';
import { roleScopes } from '../data/access.js';
import type { ClientReach } from '../data/access.js';
import type { RegisteredRoute } from '../server.js';
import { defaultWebSettings } from '../settings.js';
import { permissions } from './permissions.js';
import type { Permission } from './permissions.js';

const reachText: Record<ClientReach, string> = {
  none: 'none',
  teams: 'clients of their teams',
  agencies: 'every client of their teams’ agencies',
};

/** Renders docs/reference/permissions.md from the permission matrix, the role scopes and the app's routes. */
export function renderPermissions(routes: readonly RegisteredRoute[]): string {
  return [
    generatedNotice('the permission matrix in src/web/security/permissions.ts, the role scopes in src/web/data/access.ts and the routes the web app registers'),
    '',
    '# Permissions',
    '',
    'Every route names one permission, a list of permissions of which any one suffices, or is public. One hook in `src/web/server.ts` checks the permission against the signed-in member of staff’s roles and answers 403 when none of their roles grants it. A route that names neither a permission nor `public` stops the server from starting.',
    '',
    'A member of staff may hold several roles and gets every permission of each. A member of staff with no role gets no permission, so every page behind sign-in answers 403.',
    '',
    '## Permissions by role',
    '',
    permissionTable(),
    '',
    '## Client scope',
    '',
    'A permission says what kind of page a member of staff may open. The scope says which clients they reach on it. The web app loads every client, episode, intervention and review through `decideClientAccess` in `src/web/data/access.ts`, in one of two modes: `view` to open a record and `edit` to change it.',
    '',
    scopeTable(),
    '',
    '- A member of staff gets the widest scope of their roles, taken separately for each mode. Edit scope comes only from roles that may edit, so a data officer who is also a keyworker views every client of their agencies but changes only their teams’ clients.',
    '- A client’s team decides its scope. Staff reach a client when it is placed in one of their teams; a client without a team is reached only by data officers of its agency, or through break-glass.',
    '- Data officers reach the agencies of their teams, not the whole organisation. Each agency is a separate NDTMS provider, often commissioned by a different local authority, so an administrator places a data officer in a team of each agency whose data they look after.',
    '- Administrators manage accounts and settings and reach no client record, unless they also hold a clinical role.',
    '- Lists such as the caseload show only clients within view scope (`clientIdsInScope`). Break-glass opens one record and adds nothing to lists.',
    '',
    '## Outside scope and break-glass',
    '',
    '- A client of another organisation answers 404 (Page not found) on every page, whatever the roles or grants, so a page cannot tell a client of another organisation from a missing one.',
    `- A client of the staff member’s organisation outside their scope answers 403 with the break-glass form, to staff whose roles grant \`break-glass:use\`. A reason of at least ${defaultWebSettings.breakGlassReasonMinLength} characters (setting \`breakGlassReasonMinLength\`) opens the client to that member of staff for ${defaultWebSettings.breakGlassMinutes} minutes (setting \`breakGlassMinutes\`). The grant is stored in \`break_glass_grants\` and audited as \`break-glass.grant\` with the reason, in one transaction.`,
    '- A live grant opens the client for viewing, and for changes when the member of staff holds a role that may edit.',
    '- Staff without `break-glass:use` get 404 for a client outside view scope. On the edit pages of a client they may view but not change, data officers get the correction grant form (below) and other staff 403 with a read-only notice.',
    '- Team leaders list grants to clients of their teams on `/break-glass` (`break-glass:review`).',
    '',
    '## Correction grants',
    '',
    `- A data officer (\`record:correct\`) who opens an edit form of a client they may view but not change gets 403 with the correction grant form, and month-end findings link to that form at \`/clients/:id/correction\`. A reason of at least ${defaultWebSettings.correctionReasonMinLength} characters (setting \`correctionReasonMinLength\`) lets that data officer change the client for ${defaultWebSettings.correctionGrantMinutes} minutes (setting \`correctionGrantMinutes\`). The grant is stored in \`break_glass_grants\` with kind \`correction\` and audited as \`correction.grant\` with the reason, in one transaction.`,
    '- A live correction grant counts in `edit` mode only, and only while its holder has `record:correct` and their view scope reaches the client. A client outside their agencies answers 404 on the form, so no grant can be asked for it.',
    '- A correction grant opens the edit forms of the client, its episodes and its interventions, whose routes accept `client:edit` or `record:correct`. Pages that add records need `client:edit`, so a data officer cannot add an episode, intervention or review under a grant.',
    '- Every change made under a correction grant is audited as usual, with the reason `Made under correction grant <id>`. Team leaders see correction grants on `/break-glass` beside break-glass grants.',
    '',
    '## Routes',
    '',
    'Every route the web app registers, in registration order. Static files under `/assets/` and `/static/` are public and not listed.',
    '',
    routeTable(routes),
    '',
  ].join('\n');
}

function permissionTable(): string {
  const header = ['permission', 'description', ...staffRoles.map((role) => role.label.toLowerCase())];
  const rows = (Object.keys(permissions) as Permission[]).map((permission) => {
    const entry = permissions[permission];
    const allowed: readonly string[] = entry.roles;
    return [code(permission), entry.description, ...staffRoles.map((role) => (allowed.includes(role.value) ? 'yes' : '–'))];
  });
  return table(header, rows);
}

function scopeTable(): string {
  const rows = staffRoles.map((role) => [role.label, reachText[roleScopes[role.value].view], reachText[roleScopes[role.value].edit]]);
  return table(['role', 'views', 'changes'], rows);
}

function routeTable(routes: readonly RegisteredRoute[]): string {
  const rows = routes.map((route) => [route.method, code(route.url), route.public || route.permission === undefined ? 'public (no sign-in)' : [route.permission].flat().map(code).join(' or ')]);
  return table(['method', 'path', 'permission'], rows);
}
