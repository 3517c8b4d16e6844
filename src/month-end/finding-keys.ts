import { createHash } from 'node:crypto';
import type { Client, Entity } from '../domain/model.js';
import type { Finding } from '../rules/finding.js';

/** The record a finding names, or its client when it names none. */
export interface FindingRecord {
  entity: Entity;
  /** The record's reference (CLIENTID, EPISODID, MODID or SUBMID). */
  ref: string;
}

export function findingRecordOf(finding: Finding, client: Client): FindingRecord {
  return finding.record ? { entity: finding.record.entity, ref: finding.record.id } : { entity: 'client', ref: client.clientId };
}

/**
 * Returns the key that identifies a finding's place across re-checks: the record's entity
 * and reference and the field, such as `review:R-1:METHDOSE`. References are never reused
 * within an agency, so the key names the same record every month.
 */
export function recordKeyOf(finding: Finding, client: Client): string {
  const record = findingRecordOf(finding, client);
  return `${record.entity}:${record.ref}:${finding.field}`;
}

/**
 * Returns a SHA-256 of the record's own values and the finding's value. Child records are
 * left out (an episode's fingerprint ignores its reviews), so a confirmed warning on one
 * review stays confirmed when another review is added. Any change to the record's own
 * fields gives a new fingerprint, which is what makes a confirmation lapse.
 */
export function fingerprintOf(finding: Finding, client: Client): string {
  const values = ownValuesOf(findingRecordOf(finding, client), client) ?? null;
  return createHash('sha256').update(JSON.stringify([finding.field, finding.value, values])).digest('hex');
}

function ownValuesOf(record: FindingRecord, client: Client): object | undefined {
  if (record.entity === 'client') {
    const { agency, clientId, firstInitial, surnameInitial, dateOfBirth, sex, consent } = client;
    return { agency, clientId, firstInitial, surnameInitial, dateOfBirth, sex, consent };
  }
  for (const episode of client.episodes) {
    if (record.entity === 'episode' && episode.episodeId === record.ref) {
      const { episodeId, referralDate, triageDate, dischargeDate, dischargeReason } = episode;
      return { episodeId, referralDate, triageDate, dischargeDate, dischargeReason };
    }
    if (record.entity === 'intervention') {
      const intervention = episode.interventions.find((item) => item.interventionId === record.ref);
      if (intervention) return withoutSourceDetails(intervention);
    }
    if (record.entity === 'review') {
      const review = episode.reviews.find((item) => item.reviewId === record.ref);
      if (review) return withoutSourceDetails(review);
    }
  }
  return undefined;
}

/** Copies a record without `line` and `rejected`, which record where it was read from rather than its values. */
function withoutSourceDetails(record: object): object {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'line' && key !== 'rejected'));
}
