import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldLabelOf, nullCharacterMessage, overlongFieldMessage } from './field-labels.js';

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

void describe('field messages', () => {
  void test('overlong field names its label', () => {
    assert.equal(
      overlongFieldMessage('methadoneDose', 3000, 1000),
      'Nothing was saved. Daily dose of oral methadone (ml) has 3000 characters, and the maximum is 1000. Go back, shorten it to 1000 characters or fewer, and send the form again.',
    );
  });

  void test('null character names its label', () => {
    assert.equal(
      nullCharacterMessage('reviewDate-day'),
      'Nothing was saved. Review date (day) contains a null character, which cannot be stored. Go back, delete the value, type it again rather than pasting it, and send the form again.',
    );
  });
});
