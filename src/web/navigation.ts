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
  { text: 'Reports', href: '/reports', permission: 'reports:view' },
  { text: 'Data quality', href: '/data-quality', permission: 'reports:view' },
  { text: 'Break-glass access', href: '/break-glass', permission: 'break-glass:review' },
  { text: 'Month end', href: '/month-end', permission: 'month-end:manage' },
  { text: 'Staff', href: '/admin/staff', permission: 'staff:manage' },
  { text: 'Audit trail', href: '/admin/audit', permission: 'audit:view' },
];

/** Menu links the staff member may follow, marking the one for the current page. */
export function navigationFor(staff: SignedInStaff, url: string): { text: string; href: string; current: boolean }[] {
  return navigationItems
    .filter((item) => hasPermission(staff.roles, item.permission))
    .map((item) => ({ text: item.text, href: item.href, current: isCurrent(item.href, url) }));
}

/** Returns true when `url` is the menu item's page, with or without a query, or a page below it. */
function isCurrent(href: string, url: string): boolean {
  const path = url.split('?')[0] ?? url;
  return path === href || (href !== '/' && path.startsWith(`${href}/`));
}

/**
 * Returns the first page after sign-in: the caseload, or for staff without one (an administrator
 * with no clinical role) the first menu page they may open.
 */
export function homePathFor(staff: { roles: readonly string[] }): string {
  const first = navigationItems.find((item) => hasPermission(staff.roles, item.permission));
  return first?.href ?? '/account';
}
