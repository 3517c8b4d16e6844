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

export function textOf(body: FormBody, name: string): string {
  const value = body[name];
  if (Array.isArray(value)) return (value[0] ?? '').trim();
  return (value ?? '').trim();
}

export function listOf(body: FormBody, name: string): string[] {
  const value = body[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => item.trim()).filter((item) => item !== '');
}
