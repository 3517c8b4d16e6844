import type { FastifyRequest } from 'fastify';
import type { SignedInStaff } from './accounts/sessions.js';
import type { StaffRole } from './accounts/roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in member of staff; set by the session hook on every page behind sign-in. */
    staff: SignedInStaff | null;
    /**
     * The id of the correction grant under which the page opened its client for changes,
     * or null. `openClient` and `openEpisode` set it, and audit events of changes record it.
     */
    correctionGrantId: number | null;
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
