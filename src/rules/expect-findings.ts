import assert from 'node:assert/strict';
import type { Client } from '../domain/model.js';
import type { Finding } from './finding.js';
import type { RuleContext, RuleDefinition } from './rule.js';

/** A finding as a test expects it: every property but the message, plus words the message must contain. */
export type ExpectedFinding = Omit<Finding, 'message'> & { mentions?: string[] };

/**
 * Asserts that `actual` contains exactly the expected findings, in order. Each message must
 * name the finding's field and every word in `mentions`.
 */
export function assertFindings(actual: Finding[], expected: ExpectedFinding[]): void {
  assert.equal(actual.length, expected.length, `expected ${expected.length} findings, got ${JSON.stringify(actual, null, 2)}`);
  expected.forEach((want, index) => {
    const got = actual[index] as Finding;
    const { message, ...rest } = got;
    const { mentions = [], ...wantRest } = want;
    assert.deepEqual(rest, wantRest);
    assert.ok(message.includes(got.field), `message does not name ${got.field}: ${message}`);
    for (const word of mentions) assert.ok(message.includes(word), `message does not mention ${word}: ${message}`);
  });
}

/** Runs one client rule's check, failing the test when the rule has none. */
export function runCheck(rule: RuleDefinition, client: Client, context: RuleContext): Finding[] {
  assert.ok(rule.check, `rule ${rule.code} has no client check`);
  return rule.check(client, context);
}
