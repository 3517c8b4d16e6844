import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ruleRegistry } from '../../rules/registry.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import { hasStackTrace, linesOf, runWaymark } from '../testing/run-waymark.js';

const folder = mkdtempSync(join(tmpdir(), 'waymark-rules-'));

interface RuleJson {
  code: string;
  severity: string;
  scope: string;
  fields: string[];
  title: string;
  fix: string;
  source: string;
  thresholds: Record<string, number>;
}

function rulesJson(args: string[] = []): RuleJson[] {
  const run = runWaymark(['rules', '--format', 'json', ...args]);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as RuleJson[];
}

await test('rules json lists every registered rule', () => {
  const rules = rulesJson();
  assert.deepEqual(
    rules.map((rule) => rule.code),
    ruleRegistry.map((rule) => rule.code),
  );
  for (const rule of rules) {
    assert.deepEqual(Object.keys(rule), ['code', 'severity', 'scope', 'fields', 'title', 'fix', 'source', 'thresholds']);
    assert.ok(rule.title.length > 0, `${rule.code} has a title`);
    assert.ok(rule.fix.length > 0, `${rule.code} has a fix`);
  }
});

await test('rules json shows threshold values', () => {
  const withThresholds = ruleRegistry.filter((rule) => (rule.thresholds ?? []).length > 0);
  const rules = new Map(rulesJson().map((rule) => [rule.code, rule]));
  for (const rule of withThresholds) {
    for (const name of rule.thresholds ?? []) {
      assert.equal(rules.get(rule.code)?.thresholds[name], defaultThresholds[name], `${rule.code} shows ${name}`);
    }
  }
});

await test('rules thresholds file changes values', () => {
  const path = join(folder, 'thresholds.json');
  writeFileSync(path, JSON.stringify({ methadoneDoseWarningMl: 120 }));
  const readers = ruleRegistry.filter((rule) => rule.thresholds?.includes('methadoneDoseWarningMl'));
  const rules = new Map(rulesJson(['--thresholds', path]).map((rule) => [rule.code, rule]));
  for (const rule of readers) {
    assert.equal(rules.get(rule.code)?.thresholds.methadoneDoseWarningMl, 120);
  }
});

await test('rules text shows a block per rule', () => {
  const run = runWaymark(['rules']);
  assert.equal(run.status, 0);
  const lines = linesOf(run.stdout);
  for (const rule of ruleRegistry) {
    assert.ok(lines.includes(`${rule.code}  ${rule.severity}  ${rule.title}`), `${rule.code} has a heading line`);
  }
  if (ruleRegistry.length === 0) assert.deepEqual(lines, ['No rules are registered.']);
  else assert.match(lines.at(-1) ?? '', new RegExp(`^${ruleRegistry.length} rules: `));
});

await test('rules invalid thresholds file exits 2', () => {
  const path = join(folder, 'bad-thresholds.json');
  writeFileSync(path, JSON.stringify({ methadoneDoseWarningMl: -5, colour: 'blue' }));
  const run = runWaymark(['rules', '--thresholds', path]);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.equal(linesOf(run.stderr).length, 1);
  assert.match(run.stderr, /methadoneDoseWarningMl/);
  assert.equal(hasStackTrace(run.stderr), false);
});

await test('rules thresholds not JSON exits 2', () => {
  const path = join(folder, 'not-json.json');
  writeFileSync(path, '{ methadone: 120');
  const run = runWaymark(['rules', '--thresholds', path]);
  assert.equal(run.status, 2);
  assert.equal(linesOf(run.stderr).length, 1);
  assert.match(run.stderr, /is not valid JSON/);
});

await test('rules missing thresholds file exits 2', () => {
  const run = runWaymark(['rules', '--thresholds', join(folder, 'absent.json')]);
  assert.equal(run.status, 2);
  assert.equal(linesOf(run.stderr).length, 1);
  assert.match(run.stderr, /cannot read thresholds file .*absent\.json: file not found\./);
});

rmSync(folder, { recursive: true, force: true });
