import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldLabelOf } from './field-labels.js';

void describe('fieldLabelOf', () => {
  void test('known fields give labels', () => {
    const cases: [string, string][] = [
      ['methadoneDose', 'Daily dose of oral methadone (ml)'],
      ['buprenorphineDose', 'Daily dose of oral buprenorphine (mg)'],
      ['firstInitial', 'First initial'],
      ['period', 'Reporting month'],
      ['version', 'Record version (a hidden field)'],
    ];
    for (const [name, label] of cases) assert.equal(fieldLabelOf(name), label, name);
  });

  void test('date parts name the part', () => {
    assert.equal(fieldLabelOf('reviewDate-day'), 'Review date (day)');
    assert.equal(fieldLabelOf('dob-month'), 'Date of birth (month)');
    assert.equal(fieldLabelOf('discharge-year'), 'Discharge date (year)');
  });

  void test('unknown names stay hidden', () => {
    assert.equal(fieldLabelOf('madeUp'), 'One of the answers');
    assert.equal(fieldLabelOf('madeUp-day'), 'One of the answers');
    assert.equal(fieldLabelOf('constructor'), 'One of the answers');
    assert.equal(fieldLabelOf('toString-day'), 'One of the answers');
  });
});
