import type { SignedInStaff } from './accounts/sessions.js';
import { hasPermission } from './security/permissions.js';
import type { Permission } from './security/permissions.js';

interface NavigationItem {
  text: string;
  href: string;
  /** Shown only to staff whose roles grant this permission. */
  permission: Permission;
}

/** The header menu, in display order. */
const navigationItems: NavigationItem[] = [
  { text: 'Caseload', href: '/', permission: 'caseload:view' },
  { text: 'Add a client', href: '/clients/new', permission: 'client:edit' },
  { text: 'Staff', href: '/admin/staff', permission: 'staff:manage' },
  { text: 'Audit trail', href: '/admin/audit', permission: 'audit:view' },
];

/** Menu links the staff member may follow, marking the one for the current page. */
export function navigationFor(staff: SignedInStaff, url: string): { text: string; href: string; current: boolean }[] {
  return navigationItems
    .filter((item) => hasPermission(staff.roles, item.permission))
    .map((item) => ({ text: item.text, href: item.href, current: url === item.href }));
}

/**
 * The first page after sign-in: the caseload, or for staff without one (an administrator
 * with no clinical role) the first menu page they may open.
 */
export function homePathFor(staff: { roles: readonly string[] }): string {
  const first = navigationItems.find((item) => hasPermission(staff.roles, item.permission));
  return first?.href ?? '/account';
}
