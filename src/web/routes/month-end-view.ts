import type { Kysely } from 'kysely';
import { cdsQDataset } from '../../dataset/index.js';
import type { Database } from '../../db/schema.js';
import type { Entity } from '../../domain/model.js';
import type { CheckResult } from '../../month-end/check.js';
import type { ReviewedFinding } from '../../month-end/confirmations.js';
import { findRecordIds, recordLookupKey } from '../../month-end/record-ids.js';
import { recordLinkOf, type RecordLink, type RecordLinkMode } from './month-end-links.js';

const entityNames: Record<Entity, string> = { client: 'Client', episode: 'Episode', intervention: 'Intervention', review: 'Review' };

const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Formats an instant as `5 March 2026 at 14:03` in UK time. */
export function formatInstant(instant: Date | null | undefined): string {
  return instant ? timeFormat.format(instant) : '';
}

/** Returns the display name behind each `staff:<id>` actor; other actors (such as `cli`) stand for themselves. */
export async function actorNames(db: Kysely<Database>, actors: (string | null | undefined)[]): Promise<Map<string, string>> {
  const ids = [...new Set(actors.flatMap((actor) => (actor?.startsWith('staff:') ? [Number(actor.slice(6))] : [])))].filter(Number.isSafeInteger);
  const names = new Map<string, string>();
  if (ids.length > 0) {
    for (const row of await db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', ids).execute()) names.set(`staff:${row.id}`, row.display_name);
  }
  for (const actor of actors) if (actor && !names.has(actor)) names.set(actor, actor === 'cli' ? 'the command line' : actor);
  return names;
}

/** One finding as the month-end page lists it. */
export interface FindingView {
  /** Checkbox value: rule code and record key. */
  key: string;
  code: string;
  title: string;
  severity: string;
  message: string;
  clientRef: string;
  record: string;
  field: string;
  value: string;
  keyworker: string;
  link?: RecordLink;
  confirmedBy?: string;
  confirmedAt?: string;
}

/** Warnings of one rule, for the confirmation form. */
export interface RuleWarnings {
  code: string;
  title: string;
  items: FindingView[];
  unconfirmed: number;
}

export function findingKeyOf(finding: { code: string; recordKey: string }): string {
  return `${finding.code}|${finding.recordKey}`;
}

/** Shapes the check result for the page: errors, warnings by rule, counts and the month comparison. */
export async function checkPageView(db: Kysely<Database>, agencyId: number, check: CheckResult, reviewed: ReviewedFinding[], linkMode: RecordLinkMode) {
  const titles = new Map(check.findingsByRule.map((count) => [count.code, count.title]));
  const places = reviewed.map((finding) => ({ entity: finding.record?.entity ?? 'client', ref: finding.record?.id ?? finding.clientId }));
  const ids = await findRecordIds(db, agencyId, places);
  const names = await actorNames(db, reviewed.map((finding) => finding.confirmation?.confirmedBy));

  const views = reviewed.map((finding, index): FindingView => {
    const place = places[index] as { entity: Entity; ref: string };
    const recordIds = ids.get(recordLookupKey(place.entity, place.ref));
    const view: FindingView = {
      key: findingKeyOf(finding),
      code: finding.code,
      title: titles.get(finding.code) ?? '',
      severity: finding.severity,
      message: finding.message,
      clientRef: finding.clientId,
      record: `${entityNames[place.entity]} ${place.ref}`,
      field: finding.field,
      value: finding.value,
      keyworker: finding.keyworker ?? 'No keyworker assigned',
    };
    if (recordIds) view.link = recordLinkOf(place.entity, finding.field, recordIds, linkMode);
    if (finding.confirmation) {
      view.confirmedBy = names.get(finding.confirmation.confirmedBy) ?? finding.confirmation.confirmedBy;
      view.confirmedAt = formatInstant(finding.confirmation.confirmedAt);
    }
    return view;
  });

  const warnings = new Map<string, RuleWarnings>();
  for (const view of views.filter((item) => item.severity === 'warning')) {
    const group = warnings.get(view.code) ?? { code: view.code, title: view.title, items: [], unconfirmed: 0 };
    group.items.push(view);
    if (!view.confirmedBy) group.unconfirmed += 1;
    warnings.set(view.code, group);
  }
  const confirmedByRule = new Map<string, number>();
  for (const view of views) if (view.confirmedBy) confirmedByRule.set(view.code, (confirmedByRule.get(view.code) ?? 0) + 1);

  return {
    errorFindings: views.filter((item) => item.severity === 'error'),
    warningGroups: [...warnings.values()],
    unconfirmed: views.filter((item) => item.severity === 'warning' && !item.confirmedBy).length,
    ruleCounts: check.findingsByRule.map((count) => ({ ...count, confirmed: count.severity === 'warning' ? (confirmedByRule.get(count.code) ?? 0) : 0 })),
    comparison: {
      explanation: check.comparison.explanation,
      rows: check.comparison.rows.map((row) => ({
        ...row,
        changeText: row.changePercent === null ? 'new' : `${row.changePercent > 0 ? '+' : ''}${Math.round(row.changePercent * 10) / 10}%`,
      })),
      flagged: check.comparison.flagged.length,
    },
  };
}

/** Describes a column's value for people: the code's label when the field is coded. */
export function valueLabelOf(column: string, value: string): string {
  if (value === '') return '';
  const field = cdsQDataset.definition.fields.find((item) => item.name === column);
  if (field?.format.kind !== 'code') return '';
  return cdsQDataset.codeLabel(field.format.codeList, value) ?? '';
}
