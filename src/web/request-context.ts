import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignedInStaff } from './accounts/sessions.js';
import type { StaffRole } from './accounts/roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in member of staff; set by the session hook on every page behind sign-in. */
    staff: SignedInStaff | null;
  }
}

/** The signed-in staff member; the session hook guarantees one on pages behind sign-in. */
export function staffOf(request: FastifyRequest): SignedInStaff {
  if (!request.staff) throw new Error('A page behind sign-in ran without a signed-in staff member');
  return request.staff;
}

export function hasRole(staff: SignedInStaff, role: StaffRole): boolean {
  return staff.roles.includes(role);
}

/** Sends a 403 page unless the staff member holds one of the roles. Returns true when the request may go on. */
export async function requireRole(request: FastifyRequest, reply: FastifyReply, roles: StaffRole[]): Promise<boolean> {
  const staff = staffOf(request);
  if (roles.some((role) => hasRole(staff, role))) return true;
  const names = roles.join(' or ');
  await reply.code(403).view('message.njk', {
    pageTitle: 'You do not have access to this page',
    heading: 'You do not have access to this page',
    body: `This page needs the ${names} role. Ask an administrator to add it to your account.`,
  }, request);
  return false;
}
