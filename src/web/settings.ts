/** Settings a service may change. */
export interface WebSettings {
  /** A client whose last review is older than this many months is shown as overdue on the caseload. */
  reviewOverdueMonths: number;
  /** A session with no request for this many minutes ends. */
  sessionIdleMinutes: number;
  /** Failed sign-ins in a row that lock an account. */
  failedSignInsBeforeLock: number;
  /** How long a locked account stays locked, in minutes. */
  accountLockMinutes: number;
  /**
   * Sign-in and second-factor form posts allowed from one network address per window,
   * successful or not. Staff behind one office address share it, so it is set well above
   * what one person needs.
   */
  signInPostsPerAddress: number;
  /** Length of the per-address window, in minutes. */
  signInAddressWindowMinutes: number;
  /** Minutes a break-glass grant lasts before the client is closed to the staff member again. */
  breakGlassMinutes: number;
  /** Minimum length of a break-glass reason in characters, so "x" cannot pass as a reason. */
  breakGlassReasonMinLength: number;
  /** Minutes a correction grant lets a data officer change a client before it ends. */
  correctionGrantMinutes: number;
  /** Minimum length of a correction grant's reason in characters. */
  correctionReasonMinLength: number;
}

export const defaultWebSettings: WebSettings = {
  reviewOverdueMonths: 6,
  sessionIdleMinutes: 30,
  failedSignInsBeforeLock: 5,
  accountLockMinutes: 15,
  signInPostsPerAddress: 60,
  signInAddressWindowMinutes: 15,
  breakGlassMinutes: 30,
  breakGlassReasonMinLength: 20,
  correctionGrantMinutes: 30,
  correctionReasonMinLength: 20,
};
