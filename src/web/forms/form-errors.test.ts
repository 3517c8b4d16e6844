import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readDateInput } from './date-input.js';
import { listOf, RepeatedFieldError, textOf } from './form-errors.js';

void describe('textOf', () => {
  void test('single value is trimmed', () => {
    assert.equal(textOf({ methadoneDose: ' 60 ' }, 'methadoneDose'), '60');
  });

  void test('missing field is empty', () => {
    assert.equal(textOf({}, 'methadoneDose'), '');
  });

  void test('one-item array is its value', () => {
    assert.equal(textOf({ methadoneDose: ['60'] }, 'methadoneDose'), '60');
  });

  void test('repeated field is rejected', () => {
    assert.throws(
      () => textOf({ methadoneDose: ['60', '600'] }, 'methadoneDose'),
      (error: unknown) => {
        assert.ok(error instanceof RepeatedFieldError);
        assert.equal(error.statusCode, 400);
        assert.equal(error.fieldName, 'methadoneDose');
        assert.equal(
          error.message,
          'Nothing was saved. The form sent Daily dose of oral methadone (ml) more than once, so Waymark cannot tell which value you meant. ' +
            'Go back, reload the page, enter your answers again and send the form once.',
        );
        return true;
      },
    );
  });

  void test('repeated date part is rejected', () => {
    const body = { 'reviewDate-day': ['10', '11'], 'reviewDate-month': '3', 'reviewDate-year': '2024' };
    assert.throws(() => readDateInput(body, 'reviewDate', 'Review date'), {
      name: 'RepeatedFieldError',
      message: 'Nothing was saved. The form sent Review date (day) more than once, so Waymark cannot tell which value you meant. Go back, reload the page, enter your answers again and send the form once.',
    });
  });

  void test('checkbox lists may repeat', () => {
    assert.deepEqual(listOf({ items: ['PHMETHMNT', 'RECPEER'] }, 'items'), ['PHMETHMNT', 'RECPEER']);
  });
});
