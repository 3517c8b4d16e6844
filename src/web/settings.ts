/** Settings a service may change. */
export interface WebSettings {
  /** A client whose last review is older than this many months is shown as overdue on the caseload. */
  reviewOverdueMonths: number;
  /** Minutes a break-glass grant lasts before the client is closed to the staff member again. */
  breakGlassMinutes: number;
  /** Minimum length of a break-glass reason in characters, so "x" cannot pass as a reason. */
  breakGlassReasonMinLength: number;
}

export const defaultWebSettings: WebSettings = {
  reviewOverdueMonths: 6,
  breakGlassMinutes: 30,
  breakGlassReasonMinLength: 20,
};
