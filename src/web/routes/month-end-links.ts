import { cdsQDataset } from '../../dataset/index.js';
import type { Entity } from '../../domain/model.js';
import type { RecordIds } from '../../month-end/record-ids.js';
import { reviewInputIdOf } from '../review/review-form.js';
import { hasPermission } from '../security/permissions.js';

/**
 * Ids of the inputs on each edit form, by column, as the forms render them. The forms'
 * error summaries link to the same ids, so a link from the month-end page lands on the
 * field to fix. The route tests open each form and check that every id exists.
 */
export function formAnchorOf(entity: Entity, column: string): string {
  const anchors: Record<Exclude<Entity, 'review'>, Record<string, string>> = {
    client: {
      [cdsQDataset.columnOf('client', 'clientId')]: 'clientRef',
      [cdsQDataset.columnOf('client', 'firstInitial')]: 'firstInitial',
      [cdsQDataset.columnOf('client', 'surnameInitial')]: 'surnameInitial',
      [cdsQDataset.columnOf('client', 'dateOfBirth')]: 'dob-day',
      [cdsQDataset.columnOf('client', 'sex')]: 'sex',
      [cdsQDataset.columnOf('client', 'consent')]: 'consent',
    },
    episode: {
      [cdsQDataset.columnOf('episode', 'referralDate')]: 'referral-day',
      [cdsQDataset.columnOf('episode', 'triageDate')]: 'triage-day',
      [cdsQDataset.columnOf('episode', 'dischargeDate')]: 'discharge-day',
      [cdsQDataset.columnOf('episode', 'dischargeReason')]: 'dischargeReason',
    },
    intervention: {
      [cdsQDataset.columnOf('intervention', 'interventionType')]: 'interventionType',
      [cdsQDataset.columnOf('intervention', 'setting')]: 'setting',
      [cdsQDataset.columnOf('intervention', 'referralDate')]: 'referral-day',
      [cdsQDataset.columnOf('intervention', 'firstAppointmentOfferedDate')]: 'offered-day',
      [cdsQDataset.columnOf('intervention', 'startDate')]: 'start-day',
      [cdsQDataset.columnOf('intervention', 'endDate')]: 'end-day',
      [cdsQDataset.columnOf('intervention', 'exitStatus')]: 'exitStatus',
    },
  };
  // NOTE: the review form shows the dose and supervision inputs only on a review during
  // treatment, and relapse-prevention prescribing only after discharge, so a finding on the
  // other phase's field links to the form without landing on an input.
  if (entity === 'review') return reviewInputIdOf(column);
  const fallback = { client: 'clientRef', episode: 'referral-day', intervention: 'referral-day' }[entity];
  return anchors[entity][column] ?? fallback;
}

/** A link to the page where a record's field is put right, with the link text. */
export interface RecordLink {
  href: string;
  text: string;
}

/**
 * How a member of staff reaches a record from a finding: `edit` opens the edit form,
 * `correct` requests a correction grant first and then opens it, and `view` opens the
 * client record.
 */
export type RecordLinkMode = 'edit' | 'correct' | 'view';

/** Chooses the link mode from the staff member's roles: editing roles edit, data officers correct. */
export function recordLinkModeOf(roles: readonly string[]): RecordLinkMode {
  if (hasPermission(roles, 'client:edit')) return 'edit';
  return hasPermission(roles, 'record:correct') ? 'correct' : 'view';
}

/**
 * Links a record's field to its edit form at the field's input, through the correction
 * grant form for data officers, or to the client record (at the record's episode) for
 * staff who may only view.
 */
export function recordLinkOf(entity: Entity, column: string, ids: RecordIds, mode: RecordLinkMode): RecordLink {
  if (mode === 'view') {
    const anchor = ids.episodeId === undefined ? '' : `#episode-${ids.episodeId}`;
    return { href: `/clients/${ids.clientId}${anchor}`, text: entity === 'review' ? 'Open the review’s episode' : 'Open the record' };
  }
  const edit = editLinkOf(entity, ids.id, formAnchorOf(entity, column));
  if (mode === 'edit') return edit;
  // The correction form sends the data officer on to the edit form once the grant is given.
  return { href: `/clients/${ids.clientId}/correction?next=${encodeURIComponent(edit.href)}`, text: edit.text.replace(/^Change/, 'Correct') };
}

function editLinkOf(entity: Entity, id: number, anchor: string): RecordLink {
  switch (entity) {
    case 'client':
      return { href: `/clients/${id}/edit#${anchor}`, text: 'Change the client' };
    case 'episode':
      return { href: `/episodes/${id}/edit#${anchor}`, text: 'Change the episode' };
    case 'intervention':
      return { href: `/interventions/${id}/edit#${anchor}`, text: 'Change the intervention' };
    case 'review':
      return { href: `/reviews/${id}/edit#${anchor}`, text: 'Change the review' };
  }
}
