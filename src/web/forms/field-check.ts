import { cdsQDataset } from '../../dataset/index.js';
import { parseFieldValue } from '../../dataset/parse-field.js';
import type { FieldValue } from '../../dataset/parse-field.js';
import type { Entity, EntityProperties } from '../../domain/model.js';
import type { FormErrors } from './form-errors.js';

/**
 * Checks one typed answer with the dataset's own field parser, so forms and file
 * validation agree on every format and code list. A problem is added to `errors` against
 * `inputId`. The parser's message starts with the column name, which is replaced by the screen label.
 */
export function checkDatasetField<E extends Entity>(
  errors: FormErrors,
  inputId: string,
  entity: E,
  property: EntityProperties[E],
  raw: string,
  options: { required: boolean; label: string },
): FieldValue | undefined {
  const field = cdsQDataset.field(entity, property);
  if (raw === '') {
    if (options.required) errors.add(inputId, `Enter ${options.label.toLowerCase()}`);
    return undefined;
  }
  const result = parseFieldValue(field, raw);
  if (result.ok) return result.value;
  const message = result.problem.message.startsWith(`${field.name} is`)
    ? `${options.label}${result.problem.message.slice(field.name.length)}`
    : result.problem.message;
  errors.add(inputId, message);
  return undefined;
}

/** Radio items for a code list, in the dataset's order, with the current answer checked. */
export function codeListItems(listName: string, selected: string | undefined, exclude: string[] = []): { value: string; text: string; checked: boolean }[] {
  return cdsQDataset
    .codeList(listName)
    .codes.filter((entry) => !exclude.includes(entry.code))
    .map((entry) => ({ value: entry.code, text: entry.label, checked: entry.code === selected }));
}
