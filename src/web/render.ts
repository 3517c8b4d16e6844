import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

/** Project root, found from the compiled file at `dist/src/web/render.js`. */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const viewsDirectory = `${projectRoot}src/web/views`;
export const staticDirectory = `${projectRoot}src/web/static`;
/** Compiled NHS.UK frontend: CSS, JavaScript, images and the Nunjucks macros under `nhsuk/`. */
export const nhsukDistDirectory = `${projectRoot}node_modules/nhsuk-frontend/dist`;

/** Builds the template environment. Autoescape is on, so record values never become markup. */
export function createViewEnvironment(): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([viewsDirectory, nhsukDistDirectory], { noCache: false });
  const environment = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  environment.addFilter('ukDate', formatUkDate);
  return environment;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Formats an ISO date as `5 March 2024`, the NHS.UK style; other input is shown as given. */
export function formatUkDate(value: unknown): string {
  if (typeof value !== 'string') return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  return `${Number(match[3])} ${monthNames[Number(match[2]) - 1] ?? ''} ${match[1]}`;
}
