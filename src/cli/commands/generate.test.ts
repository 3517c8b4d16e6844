import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cdsQDataset } from '../../dataset/index.js';
import { createProgram, runProgram } from '../program.js';
import { register } from './generate.js';

const folder = mkdtempSync(join(tmpdir(), 'waymark-generate-'));

/** Runs `waymark generate` in this process and returns the exit code it set. */
async function generate(args: string[]): Promise<number | string | undefined> {
  const program = createProgram();
  register(program);
  await runProgram(program, ['node', 'waymark', 'generate', ...args]);
  const exitCode = process.exitCode;
  // The test runner would report the whole file as failed on a non-zero exit code.
  process.exitCode = 0;
  return exitCode;
}

async function generatedText(name: string, args: string[]): Promise<string> {
  const path = join(folder, name);
  assert.equal(await generate([...args, '-o', path]), 0);
  return readFileSync(path, 'utf8');
}

await describe('waymark generate', async () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  await it('repeats bytes for the same arguments', async () => {
    const args = ['--clients', '50', '--period', '2024-03', '--seed', '7'];
    assert.equal(await generatedText('first.csv', args), await generatedText('second.csv', args));
  });

  await it('differs between seeds', async () => {
    const args = ['--clients', '50', '--period', '2024-03'];
    assert.notEqual(await generatedText('seed-1.csv', [...args, '--seed', '1']), await generatedText('seed-2.csv', [...args, '--seed', '2']));
  });

  await it('writes the header and agency', async () => {
    const lines = (await generatedText('agency.csv', ['--clients', '5', '--agency', 'AB123', '--period', '2024-03'])).split('\r\n');
    assert.equal(lines[0], cdsQDataset.header.map((name) => `"${name}"`).join(','));
    assert.ok(lines.slice(1, -1).every((line) => line.startsWith('"AB123",')));
    assert.equal(lines.at(-1), '');
  });

  await it('fills the requested rows', async () => {
    const lines = (await generatedText('rows.csv', ['--rows', '300', '--period', '2024-03'])).split('\r\n').slice(1, -1);
    assert.ok(lines.length >= 300, `only ${lines.length} rows`);
    assert.ok(lines.length < 400, `${lines.length} rows is far past the target`);
  });

  await it('rejects invalid options', async () => {
    const cases = [
      ['--clients', '10', '--agency', 'ab12'],
      ['--clients', 'ten'],
      ['--clients', '10', '--period', '2024-13'],
      ['--clients', '10', '--rows', '10'],
      [],
    ];
    for (const args of cases) {
      assert.equal(await generate([...args, '-o', join(folder, 'rejected.csv')]), 2, args.join(' '));
    }
  });
});
