import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passwordProblem } from './passwords.js';

void test('long uncommon password accepted', () => {
  assert.equal(passwordProblem('violet harbour lantern'), undefined);
  assert.equal(passwordProblem('x'.repeat(256)), undefined);
});

void test('short password names its length', () => {
  assert.equal(passwordProblem('short pass'), 'Enter a password of at least 12 characters. Yours has 10.');
});

void test('overlong password names its length', () => {
  assert.equal(passwordProblem('x'.repeat(257)), 'Enter a password of at most 256 characters. Yours has 257.');
});

void test('common passwords rejected', () => {
  const message = 'This password is one of the most common passwords, so it is easy to guess. Choose another, for example three or four unrelated words.';
  for (const password of ['qwerty123456', 'QWERTY123456', 'Qwerty 123456', '1qaz2wsx3edc', 'password1234']) {
    assert.equal(passwordProblem(password), message, password);
  }
});

void test('email address as password rejected', () => {
  assert.equal(passwordProblem('Kim@Example.invalid', 'kim@example.invalid'), 'Your password must not be your email address. Choose another, for example three or four unrelated words.');
});

void test('no composition rules', () => {
  // NCSC guidance: no demands for digits, capitals or symbols.
  assert.equal(passwordProblem('alllowercaseletters'), undefined);
});
