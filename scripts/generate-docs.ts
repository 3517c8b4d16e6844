import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderFileLayout } from '../src/catalogue/markdown/file-layout-doc.js';
import { renderRules } from '../src/catalogue/markdown/rules-doc.js';
import { cdsQDataset } from '../src/dataset/index.js';
import { ruleRegistry } from '../src/rules/registry.js';
import { defaultThresholds } from '../src/rules/thresholds.js';

/** A generated document: its path from the repository root and its full content. */
export interface GeneratedDoc {
  path: string;
  content: string;
}

/** Renders every generated reference document from the dataset definition and the rule registry. */
export function generatedDocs(): GeneratedDoc[] {
  return [
    { path: 'docs/reference/file-layout.md', content: renderFileLayout(cdsQDataset) },
    { path: 'docs/reference/rules.md', content: renderRules(ruleRegistry, defaultThresholds) },
  ];
}

/** The repository root, found from this file's place in dist/scripts/. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

async function writeGeneratedDocs(): Promise<void> {
  for (const doc of generatedDocs()) {
    await writeFile(join(repositoryRoot, doc.path), doc.content, 'utf8');
    process.stdout.write(`wrote ${doc.path}\n`);
  }
}

// Write only when run as a script, so the drift test can import the renderers.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeGeneratedDocs();
}
