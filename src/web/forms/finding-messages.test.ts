import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { presentFindingMessage } from './finding-messages.js';

void describe('presentFindingMessage', () => {
  void test('column and item codes become names', () => {
    assert.equal(
      presentFindingMessage('PHMETHMNT is marked Y on SIR R-12 but METHDOSE is empty. Record the dose, or unmark the item.'),
      '"Methadone (oral solution) – opioid maintenance" is ticked on review R-12 but daily dose of oral methadone (ml) is empty. Record the dose, or untick the item.',
    );
  });

  void test('dates read as 5 December 2026', () => {
    assert.equal(
      presentFindingMessage('SUBMODDT is 05/01/2030 on SIR S1, after 05/12/2026, the last date this check accepts.'),
      'Review date is 5 January 2030 on review S1, after 5 December 2026, the last date this check accepts.',
    );
  });

  void test('acronym labels keep their capitals', () => {
    assert.equal(
      presentFindingMessage('On SIR S1, OSTSUP is empty but PHBUPMNT is marked Y.'),
      'On review S1, OST consumption supervised is empty but "Buprenorphine (tablet/wafer) – opioid maintenance" is ticked.',
    );
  });

  void test('item name given once', () => {
    assert.equal(
      presentFindingMessage('PHCHLDWTH (Chlordiazepoxide – alcohol withdrawal) is marked Y on every SIR from 01/02/2024.'),
      '"Chlordiazepoxide – alcohol withdrawal" is ticked on every review from 1 February 2024.',
    );
  });

  void test('references are never renamed', () => {
    // A review or episode reference may spell a column or item code, and it stays as typed.
    assert.equal(
      presentFindingMessage('SIR RECPEER of episode DOB has no MODAL 96 (Recovery support) open.'),
      'review RECPEER of episode DOB has no intervention type 96 (Recovery support) open.',
    );
  });

  void test('empty review names its reference', () => {
    assert.equal(
      presentFindingMessage('The SIR with SUBMID S1 has no sub-intervention marked Y and no RPPRESC answer. Mark the sub-interventions, or delete the SIR.'),
      'The review S1 has no sub-intervention ticked and no relapse-prevention prescribing answer. Tick the sub-interventions, or delete the review.',
    );
  });

  void test('other capitals are kept', () => {
    assert.equal(presentFindingMessage('The client is prescribed oral OST, so NDTMS expects A5.'), 'The client is prescribed oral OST, so NDTMS expects A5.');
  });
});
