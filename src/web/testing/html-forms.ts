/** A form's fields as a browser would send them: a name with one value, or several for ticked checkboxes. */
export type FormFields = Record<string, string | string[]>;

/**
 * Reads the fields a browser would send from the first `method="post"` form on a page whose
 * action is `action`: text and hidden inputs with their values, ticked checkboxes and radios,
 * selected options and text areas. Returns undefined when the page has no such form.
 * Reads the HTML Waymark's templates produce; it is not a general HTML parser.
 */
export function readForm(html: string, action: string): FormFields | undefined {
  const forms = html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g);
  for (const [, attributes = '', body = ''] of forms) {
    if (attributeOf(attributes, 'method')?.toLowerCase() !== 'post') continue;
    if (decodeAttribute(attributeOf(attributes, 'action') ?? '') !== action) continue;
    return fieldsOf(body);
  }
  return undefined;
}

function fieldsOf(body: string): FormFields {
  const fields: FormFields = {};
  const add = (name: string, value: string): void => {
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else fields[name] = [existing, value].flat();
  };

  for (const [, attributes = ''] of body.matchAll(/<input\b([^>]*)>/g)) {
    const name = attributeOf(attributes, 'name');
    if (!name) continue;
    const type = (attributeOf(attributes, 'type') ?? 'text').toLowerCase();
    const value = decodeAttribute(attributeOf(attributes, 'value') ?? '');
    if (type === 'checkbox' || type === 'radio') {
      if (/\schecked\b/.test(attributes)) add(name, value);
    } else if (type !== 'submit' && type !== 'button') {
      add(name, value);
    }
  }
  for (const [, attributes = '', content = ''] of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attributeOf(attributes, 'name');
    if (name) add(name, decodeAttribute(content));
  }
  for (const [, attributes = '', options = ''] of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attributeOf(attributes, 'name');
    if (!name) continue;
    const values = [...options.matchAll(/<option\b([^>]*)>/g)].map(([, optionAttributes = '']) => ({
      value: decodeAttribute(attributeOf(optionAttributes, 'value') ?? ''),
      selected: /\sselected\b/.test(optionAttributes),
    }));
    const chosen = values.find((option) => option.selected) ?? values[0];
    if (chosen) add(name, chosen.value);
  }
  return fields;
}

function attributeOf(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(` ${attributes}`);
  return match?.[1];
}

function decodeAttribute(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
