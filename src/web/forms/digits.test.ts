import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asciiDigits } from './digits.js';
import { readDateInput } from './date-input.js';

void describe('asciiDigits', () => {
  void test('full-width digits become ASCII', () => {
    assert.equal(asciiDigits('６０'), '60');
    assert.equal(asciiDigits('１２．５'), '12.5');
    assert.equal(asciiDigits('２０２４'), '2024');
  });

  void test('ASCII text is unchanged', () => {
    assert.equal(asciiDigits('12.5'), '12.5');
    assert.equal(asciiDigits(''), '');
  });

  void test('other digit forms are kept', () => {
    // NFKC turns these two into 62 and 1, but they are more likely typing mistakes.
    assert.equal(asciiDigits('6²'), '6²');
    assert.equal(asciiDigits('①'), '①');
    // NFKC leaves Arabic-Indic digits as they are, and so does this.
    assert.equal(asciiDigits('٣'), '٣');
  });
});

void describe('readDateInput with full-width digits', () => {
  void test('full-width date is read', () => {
    const answer = readDateInput({ 'reviewDate-day': '５', 'reviewDate-month': '１２', 'reviewDate-year': '２０２６' }, 'reviewDate', 'Review date');
    assert.equal(answer.kind, 'date');
    assert.equal(answer.kind === 'date' ? answer.date : undefined, '2026-12-05');
    assert.deepEqual(answer.parts, { day: '5', month: '12', year: '2026' });
  });

  void test('superscript digit is rejected', () => {
    const answer = readDateInput({ 'reviewDate-day': '5', 'reviewDate-month': '1²', 'reviewDate-year': '2026' }, 'reviewDate', 'Review date');
    assert.deepEqual(answer, {
      kind: 'invalid',
      parts: { day: '5', month: '1²', year: '2026' },
      problem: 'Review date must be a real date, with the day and month as numbers, for example 27 3 2024',
    });
  });
});
