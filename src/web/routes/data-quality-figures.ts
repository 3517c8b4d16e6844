import { cdsQDataset, type Dataset } from '../../dataset/index.js';
import type { FieldDefinition, PropertyField, Requirement } from '../../dataset/definition.js';
import type { Client, Entity } from '../../domain/model.js';
import type { PlainDate } from '../../domain/plain-date.js';
import type { Finding, Severity } from '../../rules/finding.js';
import { ruleFor } from '../../rules/registry.js';
import type { ClientRecord } from '../data/client-records.js';
import { toDomainClient } from '../data/client-records.js';

// The data-quality figures, worked out from client records already loaded and in scope.
// The page links each count to the records behind it, so the tests that decide what a
// count includes (isReviewOverdue, isInGroup, fieldRecords) are exported for the list page.

/** A client with the findings and domain model the figures need. */
export interface CheckedClient {
  record: ClientRecord;
  client: Client;
  findings: Finding[];
}

export function checkedClient(record: ClientRecord, findings: Finding[]): CheckedClient {
  return { record, client: toDomainClient(record), findings };
}

/** A group of clients the figures are split by: a team or a keyworker, or none recorded. */
export interface GroupKey {
  by: 'team' | 'keyworker';
  /** Internal id of the team or keyworker, or null for clients without one. */
  id: number | null;
}

export interface GroupFigures {
  key: GroupKey;
  label: string;
  clients: number;
  reviewsOverdue: number;
  errors: number;
  warnings: number;
}

export interface RuleFigures {
  code: string;
  severity: Severity;
  title: string;
  findings: number;
  clients: number;
}

export interface FieldCompleteness {
  field: string;
  label: string;
  entity: Entity;
  requirement: Requirement;
  /** Records of the field's kind that should carry it: clients without consent count only for AGNCY, CLIENTID and CONSENT. */
  records: number;
  filled: number;
  missing: number;
  /** `filled` as a fraction (0 to 1) of `records`, or null when there are none. */
  filledShare: number | null;
}

export interface DataQualityFigures {
  clients: number;
  byTeam: GroupFigures[];
  byKeyworker: GroupFigures[];
  byRule: RuleFigures[];
  completeness: FieldCompleteness[];
}

/** Names of teams and keyworkers by internal id, for the group labels. */
export interface GroupNames {
  teams: Map<number, string>;
  keyworkers: Map<number, string>;
}

/**
 * Tells whether a client's review is overdue, as the caseload tags it: the client has an
 * open episode and no review at all, or no review on or after `overdueBefore`.
 */
export function isReviewOverdue(record: ClientRecord, overdueBefore: PlainDate): boolean {
  const inTreatment = record.episodes.some((episode) => episode.discharge_date === null);
  if (!inTreatment) return false;
  const reviewDates = record.episodes.flatMap((episode) => episode.reviews.map((review) => review.review_date)).sort();
  const lastReviewDate = reviewDates.at(-1);
  return lastReviewDate === undefined || lastReviewDate < overdueBefore;
}

/** Works out every data-quality figure for the clients given. */
export function dataQualityFigures(clients: CheckedClient[], names: GroupNames, overdueBefore: PlainDate, dataset: Dataset = cdsQDataset): DataQualityFigures {
  return {
    clients: clients.length,
    byTeam: groupFigures(clients, 'team', names, overdueBefore),
    byKeyworker: groupFigures(clients, 'keyworker', names, overdueBefore),
    byRule: ruleFigures(clients),
    completeness: completenessFields(dataset).map((field) => fieldCompleteness(clients, field, dataset)),
  };
}

function groupIdOf(record: ClientRecord, by: GroupKey['by']): number | null {
  return by === 'team' ? record.team_id : record.keyworker_id;
}

/** Tells whether a client belongs to the group. */
export function isInGroup(record: ClientRecord, key: GroupKey): boolean {
  return groupIdOf(record, key.by) === key.id;
}

function groupFigures(clients: CheckedClient[], by: GroupKey['by'], names: GroupNames, overdueBefore: PlainDate): GroupFigures[] {
  const ids = [...new Set(clients.map((entry) => groupIdOf(entry.record, by)))];
  const labelOf = (id: number | null): string => {
    if (id === null) return by === 'team' ? 'No team' : 'No keyworker';
    return (by === 'team' ? names.teams : names.keyworkers).get(id) ?? `Unknown ${by} ${id}`;
  };
  const groups = ids.map((id): GroupFigures => {
    const members = clients.filter((entry) => groupIdOf(entry.record, by) === id);
    const findings = members.flatMap((entry) => entry.findings);
    return {
      key: { by, id },
      label: labelOf(id),
      clients: members.length,
      reviewsOverdue: members.filter((entry) => isReviewOverdue(entry.record, overdueBefore)).length,
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
    };
  });
  // Named groups in name order, then the clients without one.
  return groups.sort((a, b) => Number(a.key.id === null) - Number(b.key.id === null) || a.label.localeCompare(b.label, 'en-GB'));
}

function ruleFigures(clients: CheckedClient[]): RuleFigures[] {
  const byCode = new Map<string, RuleFigures>();
  for (const entry of clients) {
    const codesOfClient = new Set<string>();
    for (const finding of entry.findings) {
      let figures = byCode.get(finding.code);
      if (!figures) {
        figures = { code: finding.code, severity: finding.severity, title: ruleFor(finding.code).title, findings: 0, clients: 0 };
        byCode.set(finding.code, figures);
      }
      figures.findings += 1;
      if (!codesOfClient.has(finding.code)) figures.clients += 1;
      codesOfClient.add(finding.code);
    }
  }
  // Errors first, then warnings, each in rule code order (A2 before A10).
  return [...byCode.values()].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning') || a.code.localeCompare(b.code, 'en', { numeric: true }),
  );
}

/**
 * Lists the fields whose completeness is measured: every CDS-Q field except the
 * sub-intervention columns, where an empty cell means "not delivered" rather than missing.
 */
export function completenessFields(dataset: Dataset = cdsQDataset): PropertyField[] {
  return dataset.definition.fields.filter((field): field is PropertyField => field.format.kind !== 'delivered' && 'property' in field);
}

/** One record of a client that a field applies to, with whether the field is filled on it. */
export interface FieldRecord {
  entity: Entity;
  /** The record's reference: CLIENTID, EPISODID, MODID or SUBMID. */
  reference: string;
  filled: boolean;
}

/** Lists the client's records a field applies to. A client without consent has only the fields kept for them. */
export function fieldRecords(client: Client, field: PropertyField, dataset: Dataset = cdsQDataset): FieldRecord[] {
  const withoutConsent = client.consent === dataset.conventions.noConsentCode;
  if (withoutConsent && !dataset.conventions.noConsentFields.includes(field.name)) return [];
  const filled = (record: object): boolean => (record as Record<string, unknown>)[field.property] !== undefined;
  switch (field.entity) {
    case 'client':
      return [{ entity: 'client', reference: client.clientId, filled: filled(client) }];
    case 'episode':
      return client.episodes.map((episode) => ({ entity: 'episode', reference: episode.episodeId, filled: filled(episode) }));
    case 'intervention':
      return client.episodes.flatMap((episode) =>
        episode.interventions.map((intervention) => ({ entity: 'intervention' as const, reference: intervention.interventionId, filled: filled(intervention) })),
      );
    case 'review':
      return client.episodes.flatMap((episode) => episode.reviews.map((review) => ({ entity: 'review' as const, reference: review.reviewId, filled: filled(review) })));
  }
}

function fieldCompleteness(clients: CheckedClient[], field: PropertyField, dataset: Dataset): FieldCompleteness {
  const records = clients.flatMap((entry) => fieldRecords(entry.client, field, dataset));
  const filled = records.filter((record) => record.filled).length;
  return {
    field: field.name,
    label: field.label,
    entity: field.entity,
    requirement: field.requirement,
    records: records.length,
    filled,
    missing: records.length - filled,
    filledShare: records.length === 0 ? null : filled / records.length,
  };
}

/** Finds a measured field by its column name, or undefined for any other name. */
export function completenessField(name: string, dataset: Dataset = cdsQDataset): PropertyField | undefined {
  const field: FieldDefinition | undefined = dataset.fieldNamed(name);
  return field !== undefined && completenessFields(dataset).includes(field as PropertyField) ? (field as PropertyField) : undefined;
}
