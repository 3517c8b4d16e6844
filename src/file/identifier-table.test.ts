import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash64, IdentifierTable } from './identifier-table.js';

void describe('IdentifierTable', () => {
  void it('keeps the first claimant', () => {
    const table = new IdentifierTable();

    assert.equal(table.ownerOrClaim('E1', 3), 3);
    assert.equal(table.ownerOrClaim('E1', 5), 3);
    assert.equal(table.ownerOrClaim('E2', 5), 5);
  });

  void it('keeps owners while growing', () => {
    const table = new IdentifierTable();
    for (let index = 0; index < 5000; index += 1) table.ownerOrClaim(`S${index}`, index);

    for (let index = 0; index < 5000; index += 1) assert.equal(table.ownerOrClaim(`S${index}`, -1), index, `S${index}`);
    assert.equal(table.ownerOrClaim('S5000', 7), 7);
  });

  void it('tells apart case and leading zeros', () => {
    const table = new IdentifierTable();
    table.ownerOrClaim('m1', 1);

    assert.equal(table.ownerOrClaim('M1', 2), 2);
    assert.equal(table.ownerOrClaim('007', 3), 3);
    assert.equal(table.ownerOrClaim('07', 4), 4);
  });
});

void describe('hash64', () => {
  void it('gives distinct hashes to similar identifiers', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 100_000; index += 1) seen.add(hash64(`S${index}`).join(':'));

    assert.equal(seen.size, 100_000);
  });

  void it('returns unsigned 32-bit halves', () => {
    for (const text of ['', 'A', 'é', 'E-0001']) {
      for (const half of hash64(text)) {
        assert.ok(Number.isInteger(half), `${text}: ${half} is an integer`);
        assert.ok(half >= 0, `${text}: ${half} is not negative`);
        assert.ok(half < 2 ** 32, `${text}: ${half} fits 32 bits`);
      }
    }
  });
});
