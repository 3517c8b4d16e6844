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
  environment.addFilter('trim', trimText);
  addRenderOnce(environment);
  addRenderKept(environment);
  return environment;
}

/**
 * Adds `renderOnce(template)`, which renders a template with the calling page's values the
 * first time and returns the same markup on every later call. Only for output that is the
 * same on every request where it is called, such as a search form with no search. The NHS.UK
 * macros took about 2 ms of CPU to build the caseload's form on the benchmark machine.
 */
function addRenderOnce(environment: nunjucks.Environment): void {
  const rendered = new Map<string, nunjucks.runtime.SafeString>();
  environment.addGlobal('renderOnce', function (this: { getVariables(): object }, template: string) {
    let markup = rendered.get(template);
    if (markup === undefined) {
      markup = new nunjucks.runtime.SafeString(environment.render(template, this.getVariables()));
      rendered.set(template, markup);
    }
    return markup;
  });
}

/** Maximum number of fragments `renderCached` stores, each about 50 KB for a caseload table. */
const maxCachedFragments = 500;

/**
 * Adds `renderCached(template, key)`, which renders a template with the calling page's values
 * and returns the same markup for every later call with the same key. The caller's key must
 * name everything the markup shows, such as the change stamps of the clients in a table, so
 * two pages share markup only when it is the same. When full, the oldest fragment goes.
 */
function addRenderKept(environment: nunjucks.Environment): void {
  const cache = new Map<string, nunjucks.runtime.SafeString>();
  environment.addGlobal('renderCached', function (this: { getVariables(): object }, template: string, key: string) {
    const cacheKey = `${template}\u0000${key}`;
    let markup = cache.get(cacheKey);
    if (markup === undefined) {
      markup = new nunjucks.runtime.SafeString(environment.render(template, this.getVariables()));
      if (cache.size >= maxCachedFragments) cache.delete(cache.keys().next().value as string);
      cache.set(cacheKey, markup);
    }
    return markup;
  });
}

/**
 * Replaces Nunjucks' `trim` filter, which the NHS.UK macros apply to almost every piece of
 * output they build. Nunjucks 3.2.4 trims with the regular expression `/^\s*|\s*$/g`, and in
 * a CPU profile of the caseload page that expression took a sixth of the time. JavaScript's
 * `\s` matches the white space and line terminators that `String.prototype.trim` removes, so
 * the output is the same. Markup marked safe stays safe, as in the original.
 */
function trimText(value: unknown): unknown {
  const trimmed = String(value).trim();
  return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Formats an ISO date as `5 March 2024`, the NHS.UK style; other input is shown as given. */
export function formatUkDate(value: unknown): string {
  if (typeof value !== 'string') return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  return `${Number(match[3])} ${monthNames[Number(match[2]) - 1] ?? ''} ${match[1]}`;
}
