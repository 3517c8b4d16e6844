import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { staffActor, systemCliActor } from '../db/audit.js';
import type { Database } from '../db/schema.js';
import { hasPermission, permissions, type Permission } from '../web/security/permissions.js';
import { inputError, usageError } from './cli-error.js';

/** The `--as` and `--system` options as commander parses them. */
export interface ActingOptions {
  as?: string;
  system?: boolean;
}

/** The identity a command acts as: the audit trail actor and its description for the "Acting as" line. */
export interface CommandActor {
  /** `staff:<id>` or `system:cli`. */
  actor: string;
  description: string;
}

/**
 * Adds `--as EMAIL` and `--system` to a command that reads or writes records, with help
 * text naming the role the command needs.
 */
export function addActingOptions(command: Command, permission: Permission): Command {
  const roles = permissions[permission].roles.join(' or ');
  return command
    .option('--as <email>', `act as this staff member, who must be enabled and have the role ${roles}; recorded in the audit trail as staff:<id>`)
    .option('--system', `act as the system identity ${systemCliActor}, recorded in the audit trail (the default without --as)`);
}

/**
 * Resolves `--as` or `--system` to the actor recorded in the audit trail, and prints
 * "Acting as ..." on standard error. Without either option the command acts as the system
 * identity and prints that it does, so that scripts written before these options keep working.
 * `--as` names a staff member, who must be enabled, have a role granting `permission`
 * and, when `organisationId` is given, belong to that organisation.
 */
export async function resolveCommandActor(db: Kysely<Database>, options: ActingOptions, permission: Permission, organisationId?: number): Promise<CommandActor> {
  if (options.as !== undefined && options.system === true) throw usageError('give either --as EMAIL or --system, not both.');
  const resolved = options.as === undefined ? systemActor(options.system === true) : await staffActorFor(db, options.as, permission, organisationId);
  process.stderr.write(`Acting as ${resolved.description}\n`);
  return resolved;
}

function systemActor(explicit: boolean): CommandActor {
  const source = explicit ? '--system' : 'the default: give --as EMAIL to act as a member of staff';
  return { actor: systemCliActor, description: `${systemCliActor} (${source})` };
}

async function staffActorFor(db: Kysely<Database>, email: string, permission: Permission, organisationId: number | undefined): Promise<CommandActor> {
  const member = await db.selectFrom('staff').select(['id', 'display_name', 'email', 'roles', 'disabled_at', 'organisation_id']).where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!member) throw inputError(`--as ${email}: no staff account has this email address. Check the address, or use --system to act as the system identity.`);
  if (member.disabled_at !== null) throw inputError(`--as ${email}: the account of ${member.display_name} is disabled. Ask an administrator to enable it, or use --system.`);
  if (!hasPermission(member.roles, permission)) {
    const needed = permissions[permission].roles.join(' or ');
    throw inputError(`--as ${email}: ${member.display_name} has the roles ${member.roles.join(', ') || 'none'}, but this command needs ${needed}. Act as someone with that role, or use --system.`);
  }
  if (organisationId !== undefined && member.organisation_id !== organisationId) {
    throw inputError(`--as ${email}: ${member.display_name} belongs to another organisation than this agency. Act as a member of the agency's organisation, or use --system.`);
  }
  return { actor: staffActor(member.id), description: `${member.display_name} <${member.email}> (${staffActor(member.id)})` };
}
