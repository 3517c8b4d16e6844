import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordLinkOf } from './month-end-links.js';

void describe('month-end record links', () => {
  const reviewIds = { id: 7, clientId: 3, episodeId: 5 };

  void test('review finding opens the edit form', () => {
    const cases = [
      ['METHDOSE', '/reviews/7/edit#methadoneDose'],
      ['BUPDOSE', '/reviews/7/edit#buprenorphineDose'],
      ['OSTSUP', '/reviews/7/edit#ostSupervision'],
      ['SUBMODDT', '/reviews/7/edit#reviewDate-day'],
      ['PHMETHWTH', '/reviews/7/edit#item-PHMETHWTH'],
      ['SUBMID', '/reviews/7/edit#items-start'],
    ] as const;
    for (const [column, href] of cases) {
      assert.deepEqual(recordLinkOf('review', column, reviewIds, 'edit'), { href, text: 'Change the review' }, column);
    }
  });

  void test('review finding for viewers opens the episode', () => {
    assert.deepEqual(recordLinkOf('review', 'METHDOSE', reviewIds, 'view'), { href: '/clients/3#episode-5', text: 'Open the review’s episode' });
  });

  void test('review finding for data officers asks for a grant', () => {
    assert.deepEqual(recordLinkOf('review', 'METHDOSE', reviewIds, 'correct'), {
      href: `/clients/3/correction?next=${encodeURIComponent('/reviews/7/edit#methadoneDose')}`,
      text: 'Correct the review',
    });
  });

  void test('intervention finding for viewers opens the record', () => {
    assert.deepEqual(recordLinkOf('intervention', 'MODEND', { id: 9, clientId: 3, episodeId: 5 }, 'view'), { href: '/clients/3#episode-5', text: 'Open the record' });
  });
});
