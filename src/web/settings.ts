/** Settings a service may change. */
export interface WebSettings {
  /** A client whose last review is older than this many months is shown as overdue on the caseload. */
  reviewOverdueMonths: number;
}

export const defaultWebSettings: WebSettings = {
  reviewOverdueMonths: 6,
};
