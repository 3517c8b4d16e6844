import { test } from 'node:test';
import { buildRuleContext, clientWithReview } from '../../testing/client-builder.js';
import { assertFindings, runCheck } from '../expect-findings.js';
import { emptyReviewRule } from './empty-review-rule.js';

const context = buildRuleContext();

void test('A16 passes a SIR with an item', () => {
  assertFindings(runCheck(emptyReviewRule, clientWithReview({ delivered: ['RECPEER'] }), context), []);
});

void test('A16 passes a SIR with only RPPRESC', () => {
  assertFindings(runCheck(emptyReviewRule, clientWithReview({ delivered: [], relapsePreventionPrescribing: '4' }), context), []);
});

void test('A16 flags a SIR with nothing recorded', () => {
  const client = clientWithReview({ delivered: [], methadoneDose: undefined, relapsePreventionPrescribing: undefined });
  assertFindings(runCheck(emptyReviewRule, client, context), [
    {
      code: 'A16',
      severity: 'error',
      line: 4,
      clientId: 'C0001',
      record: { entity: 'review', id: 'S1' },
      field: 'SUBMID',
      value: 'S1',
      mentions: ['RPPRESC', 'S1'],
    },
  ]);
});
