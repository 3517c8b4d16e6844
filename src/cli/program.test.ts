import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasStackTrace, linesOf, repositoryRoot, runWaymark } from './testing/run-waymark.js';

const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { version: string };

await test('waymark --version prints the package version', () => {
  const run = runWaymark(['--version']);
  assert.equal(run.status, 0);
  assert.equal(run.stdout.trim(), manifest.version);
});

await test('waymark --help lists every command', () => {
  const run = runWaymark(['--help']);
  assert.equal(run.status, 0);
  for (const command of ['validate', 'catalogue', 'lookup', 'rules']) {
    assert.match(run.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), `help lists ${command}`);
  }
  assert.match(run.stdout, /Exit codes: 0 no errors, 1 errors/);
});

await test('waymark unknown command exits 2', () => {
  const run = runWaymark(['validat']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /unknown command 'validat'/);
  assert.match(run.stderr, /Did you mean validate\?/);
  assert.equal(hasStackTrace(run.stderr), false);
});

await test('waymark unknown option exits 2', () => {
  const run = runWaymark(['catalogue', '--colour']);
  assert.equal(run.status, 2);
  assert.equal(linesOf(run.stderr).length, 1);
  assert.match(run.stderr, /unknown option '--colour'/);
});

await test('waymark without a command exits 2', () => {
  const run = runWaymark([]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /Usage: waymark/);
});

await test('waymark invalid format choice exits 2', () => {
  const run = runWaymark(['rules', '--format', 'xml']);
  assert.equal(run.status, 2);
  assert.equal(linesOf(run.stderr).length, 1);
  assert.match(run.stderr, /'xml' is invalid/);
  assert.match(run.stderr, /text, json/);
});
