import { fieldLabelOf } from './field-labels.js';

/** One problem with a form answer, shown in the error summary and beside the field. */
export interface FormError {
  /** Id of the input the summary links to. */
  field: string;
  message: string;
}

/** Collects form errors in page order and shapes them for the NHS.UK error summary and fields. */
export class FormErrors {
  private readonly list: FormError[] = [];

  add(field: string, message: string): void {
    if (!this.list.some((error) => error.field === field)) this.list.push({ field, message });
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** Items for the `errorSummary` macro, each linking to its input. */
  get summary(): { text: string; href: string }[] {
    return this.list.map((error) => ({ text: error.message, href: `#${error.field}` }));
  }

  /** Message per field id, for the `errorMessage` option of each input. */
  get byField(): Record<string, { text: string }> {
    return Object.fromEntries(this.list.map((error) => [error.field, { text: error.message }]));
  }
}

/** Reads a form body as string fields; repeated fields (checkboxes) become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

/**
 * Error for a request that sends a single-value field more than once, as an altered form
 * or a hand-made request can. Neither value is taken, because either could be the one the
 * person meant. Fastify passes it to the app's error handler, which replies with its
 * `statusCode`, 400, and this message.
 */
export class RepeatedFieldError extends Error {
  readonly statusCode = 400;
  readonly code = 'WAYMARK_REPEATED_FIELD';

  constructor(readonly fieldName: string) {
    super(`Nothing was saved. The form sent ${fieldLabelOf(fieldName)} more than once, so Waymark cannot tell which value you meant. Go back, reload the page, enter your answers again and send the form once.`);
    this.name = 'RepeatedFieldError';
  }
}

/**
 * Returns the trimmed value of a single-value field, or empty when it is missing. Throws
 * `RepeatedFieldError` when the field was sent more than once. Use `listOf` for checkboxes.
 */
export function textOf(body: FormBody, name: string): string {
  const value = body[name];
  if (Array.isArray(value)) {
    if (value.length > 1) throw new RepeatedFieldError(name);
    return (value[0] ?? '').trim();
  }
  return (value ?? '').trim();
}

export function listOf(body: FormBody, name: string): string[] {
  const value = body[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => item.trim()).filter((item) => item !== '');
}
