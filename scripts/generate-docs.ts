import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderFileLayout } from '../src/catalogue/markdown/file-layout-doc.js';
import { renderRules } from '../src/catalogue/markdown/rules-doc.js';
import { cdsQDataset } from '../src/dataset/index.js';
import { ruleRegistry } from '../src/rules/registry.js';
import { defaultThresholds } from '../src/rules/thresholds.js';
import { renderPermissions } from '../src/web/security/permissions-doc.js';
import { listRegisteredRoutes } from '../src/web/security/route-list.js';

/** A generated document: its path from the repository root and its full content. */
export interface GeneratedDoc {
  path: string;
  content: string;
}

/**
 * Renders every generated reference document from the dataset definition, the rule
 * registry, the permission matrix and the web app's routes.
 */
export async function generatedDocs(): Promise<GeneratedDoc[]> {
  return [
    { path: 'docs/reference/file-layout.md', content: renderFileLayout(cdsQDataset) },
    { path: 'docs/reference/rules.md', content: renderRules(ruleRegistry, defaultThresholds) },
    { path: 'docs/reference/permissions.md', content: renderPermissions(await listRegisteredRoutes()) },
  ];
}

/** The repository root, found from this file's place in dist/scripts/. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

async function writeGeneratedDocs(): Promise<void> {
  for (const doc of await generatedDocs()) {
    await writeFile(join(repositoryRoot, doc.path), doc.content, 'utf8');
    process.stdout.write(`wrote ${doc.path}\n`);
  }
}

// Write only when run as a script, so the drift test can import the renderers.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeGeneratedDocs();
}
