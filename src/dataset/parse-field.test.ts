import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldDefinition } from './definition.js';
import { cdsQDataset } from './index.js';
import { parseDate, parseFieldValue } from './parse-field.js';

function fieldNamed(name: string): FieldDefinition {
  const field = cdsQDataset.fieldNamed(name);
  assert.ok(field, `${name} is in the dataset`);
  return field;
}

function problemOf(name: string, raw: string): { code: string; message: string } {
  const result = parseFieldValue(fieldNamed(name), raw);
  assert.equal(result.ok, false, `${name} ${raw} is rejected`);
  if (result.ok) throw new Error('unreachable');
  return result.problem;
}

function valueOf(name: string, raw: string): unknown {
  const result = parseFieldValue(fieldNamed(name), raw);
  assert.equal(result.ok, true, `${name} ${raw} is accepted: ${result.ok ? '' : result.problem.message}`);
  return result.ok ? result.value : undefined;
}

void describe('parseDate', () => {
  void it('accepts day-first and ISO dates', () => {
    assert.equal(parseDate('05/03/2024'), '2024-03-05');
    assert.equal(parseDate('2024-03-05'), '2024-03-05');
    assert.equal(parseDate('13/03/2024'), '2024-03-13');
  });

  void it('rejects month-first dates', () => {
    assert.equal(parseDate('03/13/2024'), undefined);
  });

  void it('rejects two-digit years', () => {
    assert.equal(parseDate('15/05/20'), undefined);
  });

  void it('reads DD/MM/YYYY as the ISO form does', () => {
    // Each day-first date must parse to the same date as its ISO spelling, or be rejected by both.
    const pad = (value: number, width: number): string => String(value).padStart(width, '0');
    for (const year of [1, 4, 100, 1900, 1999, 2000, 2023, 2024, 9999]) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          const dayFirst = `${pad(day, 2)}/${pad(month, 2)}/${pad(year, 4)}`;
          assert.equal(parseDate(dayFirst), parseDate(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`), dayFirst);
        }
      }
    }
  });

  void it('rejects day-first dates with other characters', () => {
    assert.equal(parseDate('0a/03/2024'), undefined);
    assert.equal(parseDate('05-03-2024'), undefined);
    assert.equal(parseDate('05/03/0000'), undefined);
    assert.equal(parseDate('29/02/1900'), undefined);
    assert.equal(parseDate('29/02/2000'), '2000-02-29');
  });

  void it('rejects impossible dates', () => {
    assert.equal(parseDate('31/02/2024'), undefined);
    assert.equal(parseDate('2024-02-30'), undefined);
    assert.equal(parseDate('00/01/2024'), undefined);
  });

  void it('follows leap years', () => {
    assert.equal(parseDate('29/02/2024'), '2024-02-29');
    assert.equal(parseDate('29/02/2023'), undefined);
    assert.equal(parseDate('29/02/1900'), undefined);
    assert.equal(parseDate('29/02/2000'), '2000-02-29');
  });

  void it('rejects other forms', () => {
    for (const text of ['5/3/2024', '05-03-2024', '2024/03/05', '05/03/2024 00:00', ' 05/03/2024', '20240305', '']) {
      assert.equal(parseDate(text), undefined, text);
    }
  });
});

void describe('parseFieldValue dates', () => {
  void it('names the field, value and form for a non-date', () => {
    const problem = problemOf('DOB', '03/13/2024');
    assert.equal(problem.code, 'D2');
    assert.equal(problem.message, 'DOB is 03/13/2024, which is not a real date. Enter the date as DD/MM/YYYY, for example 05/03/1980.');
  });

  void it('explains an impossible date', () => {
    const problem = problemOf('DOB', '31/02/2024');
    assert.equal(problem.code, 'D2');
    assert.equal(problem.message, 'DOB is 31/02/2024, which is not a real date. Enter the date as DD/MM/YYYY, for example 05/03/1980.');
  });

  void it('explains a two-digit year', () => {
    const problem = problemOf('REFLD', '15/05/20');
    assert.equal(problem.code, 'D2');
    assert.match(problem.message, /^REFLD is 15\/05\/20, which has a two-digit year\./);
  });

  void it('explains an unknown form', () => {
    const problem = problemOf('TRIAGED', 'yesterday');
    assert.equal(problem.code, 'D2');
    assert.match(problem.message, /^TRIAGED is yesterday, which is not a date in the form DD\/MM\/YYYY or YYYY-MM-DD\./);
  });

  void it('returns a plain date', () => {
    assert.equal(valueOf('DOB', '29/02/2024'), '2024-02-29');
    assert.equal(valueOf('DISD', '2024-03-05'), '2024-03-05');
  });

  void it('returns undefined for empty text', () => {
    assert.equal(valueOf('DISD', ''), undefined);
  });

  void it('rejects spaces around a value', () => {
    const problem = problemOf('DOB', '05/03/1980 ');
    assert.equal(problem.code, 'D2');
    assert.equal(problem.message, 'DOB is "05/03/1980 ", which has spaces before or after it. Remove the spaces.');
  });

  void it('rejects tabs and non-breaking spaces around a value', () => {
    assert.equal(problemOf('SEX', '\tF').message, 'SEX is "\tF", which has spaces before or after it. Remove the spaces.');
    assert.equal(problemOf('AGNCY', 'AB123\u00a0').message, 'AGNCY is "AB123\u00a0", which has spaces before or after it. Remove the spaces.');
  });
});

void describe('parseFieldValue codes', () => {
  void it('accepts listed codes exactly', () => {
    assert.equal(valueOf('SEX', 'F'), 'F');
    assert.equal(valueOf('DISRSN', '80'), '80');
    assert.equal(valueOf('OSTSUP', '99'), '99');
  });

  void it('does not fold case', () => {
    const problem = problemOf('SEX', 'f');
    assert.equal(problem.code, 'D2');
    assert.equal(problem.message, 'SEX is f, which is not one of its codes. Use one of: M (Male), F (Female), I (Indeterminate), Z (Not stated).');
  });

  void it('rejects codes with leading zeros', () => {
    assert.equal(problemOf('MODSET', '01').code, 'D2');
  });

  void it('reads sub-intervention columns as delivered or not', () => {
    assert.equal(valueOf('PHMETHMNT', 'Y'), true);
    assert.equal(valueOf('PHMETHMNT', 'N'), false);
    assert.equal(valueOf('PHMETHMNT', ''), undefined);
    const problem = problemOf('PHMETHMNT', 'y');
    assert.equal(problem.code, 'D2');
    assert.equal(problem.message, 'PHMETHMNT is y, which is neither Y nor N. Enter Y when the item was delivered, and N or nothing when it was not.');
  });
});

void describe('parseFieldValue doses', () => {
  void it('accepts whole numbers and one decimal place', () => {
    assert.equal(valueOf('METHDOSE', '12.5'), 12.5);
    assert.equal(valueOf('METHDOSE', '60'), 60);
    assert.equal(valueOf('BUPDOSE', '0.4'), 0.4);
  });

  void it('rejects bad doses with A6', () => {
    for (const raw of ['12.55', '0', '0.0', '-1', '1e2', '60ml', '12.', '.5', '1,000', 'NaN', 'Infinity', '1234567890']) {
      const problem = problemOf('METHDOSE', raw);
      assert.equal(problem.code, 'A6', raw);
      assert.equal(
        problem.message,
        `METHDOSE is ${raw}, which is not a number greater than zero with at most one decimal place. Enter the daily dose in ml as digits only, for example 30 or 12.5.`,
      );
    }
  });

  void it('names the unit of buprenorphine', () => {
    assert.match(problemOf('BUPDOSE', '8mg').message, /daily dose in mg/);
  });
});

void describe('parseFieldValue identifiers', () => {
  void it('keeps leading zeros and hyphens', () => {
    assert.equal(valueOf('CLIENTID', '007'), '007');
    assert.equal(valueOf('EPISODID', 'ep-01'), 'ep-01');
  });

  void it('rejects other characters', () => {
    const problem = problemOf('CLIENTID', 'A_1');
    assert.equal(problem.code, 'D2');
    assert.equal(problem.message, 'CLIENTID is A_1, which contains characters other than letters, digits and hyphens. Use only A-Z, a-z, 0-9 and -.');
  });

  void it('rejects more than 20 characters', () => {
    const problem = problemOf('MODID', 'A'.repeat(21));
    assert.equal(problem.code, 'D2');
    assert.match(problem.message, /which has 21 characters\. Use at most 20 letters, digits and hyphens\.$/);
    assert.equal(valueOf('MODID', 'A'.repeat(20)), 'A'.repeat(20));
  });

  void it('checks agency codes', () => {
    assert.equal(valueOf('AGNCY', 'AB123'), 'AB123');
    for (const raw of ['ab123', 'AB12', 'AB1234', 'AB-12']) {
      const problem = problemOf('AGNCY', raw);
      assert.equal(problem.code, 'D2', raw);
      assert.match(problem.message, /^AGNCY is .*, which is not an NDTMS agency code\./);
    }
  });

  void it('checks initials', () => {
    assert.equal(valueOf('FINITIAL', 'J'), 'J');
    for (const raw of ['j', 'JO', 'É', '1']) {
      const problem = problemOf('SINITIAL', raw);
      assert.equal(problem.code, 'D2', raw);
      assert.match(problem.message, /which is not a single capital letter/);
    }
  });
});
