import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasUnprintable, printableText } from './printable.js';

void describe('printableText', () => {
  void test('plain text is unchanged', () => {
    assert.equal(printableText('2024-03'), '2024-03');
    assert.equal(hasUnprintable('2024-03'), false);
  });

  void test('control characters are removed', () => {
    assert.equal(printableText('2024\u0000-03'), '2024-03');
    assert.equal(printableText('\u001B[31m'), '[31m');
    assert.equal(hasUnprintable('\u0000'), true);
  });

  void test('format characters are removed', () => {
    assert.equal(printableText('\u202E2024-03'), '2024-03');
    assert.equal(hasUnprintable('\u202E'), true);
  });

  void test('other scripts are kept', () => {
    assert.equal(printableText('Łódź ２０２４'), 'Łódź ２０２４');
    assert.equal(hasUnprintable('Łódź ２０２４'), false);
  });
});
