import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cdsQDataset } from '../dataset/index.js';
import {
  buildClient,
  buildDischargedEpisode,
  buildEpisode,
  buildRuleContext,
  clientWithReview,
} from '../testing/client-builder.js';
import type { Client } from '../domain/model.js';
import { ruleFor, ruleRegistry } from './registry.js';
import { loadThresholds } from './thresholds.js';
import { validateClient } from './validate-client.js';

const expectedCodes = [
  ...Array.from({ length: 16 }, (_, index) => `A${index + 1}`),
  ...Array.from({ length: 13 }, (_, index) => `D${index + 1}`),
];

void test('registry holds each code exactly once', () => {
  const codes = ruleRegistry.map((rule) => rule.code);
  assert.deepEqual([...codes].sort(), [...expectedCodes].sort());
  assert.equal(new Set(codes).size, codes.length);
});

void test('ruleFor finds every code', () => {
  for (const code of expectedCodes) assert.equal(ruleFor(code).code, code);
});

void test('ruleFor rejects an unknown code', () => {
  assert.throws(() => ruleFor('A99'), /No rule has code A99/);
});

void test('parser and file rules have no check', () => {
  const parserCodes = ['D1', 'D2', 'A6'];
  const fileCodes = ['D7', 'D10', 'D11', 'D12'];
  for (const code of parserCodes) assert.equal(ruleFor(code).scope, 'field', code);
  for (const code of fileCodes) assert.equal(ruleFor(code).scope, 'file', code);
  for (const rule of ruleRegistry) {
    const isClientRule = rule.scope === 'client';
    assert.equal(rule.check !== undefined, isClientRule, `${rule.code} check does not match its scope`);
  }
});

void test('rule fields are dataset columns', () => {
  for (const rule of ruleRegistry) {
    for (const field of rule.fields) assert.ok(cdsQDataset.fieldNamed(field), `${rule.code} names unknown column ${field}`);
  }
});

void test('every rule has catalogue text', () => {
  for (const rule of ruleRegistry) {
    assert.ok(rule.title.length > 0, `${rule.code} has no title`);
    assert.ok(rule.fix.length > 0, `${rule.code} has no fix`);
    assert.ok(rule.source.length > 0, `${rule.code} has no source`);
    if (rule.code !== 'D11') assert.ok(rule.fields.length > 0, `${rule.code} names no field`);
  }
});

void test('severities follow the rule list', () => {
  const warnings = ['A7', 'A9', 'A10', 'A13', 'A15', 'D9'];
  for (const rule of ruleRegistry) assert.equal(rule.severity, warnings.includes(rule.code) ? 'warning' : 'error', rule.code);
});

void test('valid built clients give no findings', () => {
  const context = buildRuleContext();
  assert.deepEqual(validateClient(buildClient(), context), []);
  assert.deepEqual(validateClient(buildClient({ episodes: [buildDischargedEpisode()] }), context), []);
});

const oddClients: { name: string; client: Client }[] = [
  { name: 'no episodes', client: buildClient({ episodes: [] }) },
  { name: 'no dates at all', client: buildClient({ dateOfBirth: undefined, episodes: [buildEpisode({ referralDate: undefined, triageDate: undefined, interventions: [], reviews: [] })] }) },
  {
    name: 'undated SIR with unknown codes',
    client: clientWithReview({ reviewDate: undefined, delivered: ['NOTACODE', 'PHMETHWTH'], methadoneDose: undefined, ostSupervision: undefined }),
  },
  {
    name: 'intervention with every value missing',
    client: buildClient({
      episodes: [
        buildEpisode({
          interventions: [
            {
              interventionId: 'M9',
              interventionType: undefined,
              setting: undefined,
              referralDate: undefined,
              firstAppointmentOfferedDate: undefined,
              startDate: undefined,
              endDate: undefined,
              exitStatus: undefined,
            },
          ],
        }),
      ],
    }),
  },
];

for (const { name, client } of oddClients) {
  void test(`rules do not throw on ${name}`, () => {
    assert.doesNotThrow(() => validateClient(client, buildRuleContext()));
  });
}

void test('thresholds from a JSON file change a result', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'waymark-thresholds-'));
  try {
    const path = join(folder, 'thresholds.json');
    await writeFile(path, JSON.stringify({ methadoneDoseWarningMl: 100 }));
    const thresholds = await loadThresholds(path);
    const client = clientWithReview({ methadoneDose: 120 });

    const withDefaults = validateClient(client, buildRuleContext());
    const withFile = validateClient(client, { ...buildRuleContext(), thresholds });

    assert.deepEqual(withDefaults, []);
    assert.deepEqual(
      withFile.map((finding) => [finding.code, finding.field, finding.value]),
      [['A7', 'METHDOSE', '120']],
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
