import { cdsQDataset } from '../../dataset/index.js';
import { parseFieldValue } from '../../dataset/parse-field.js';
import type { SubInterventionReview } from '../../domain/model.js';
import type { PlainDate } from '../../domain/plain-date.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { partsOf, readDateInput } from '../forms/date-input.js';
import type { DateParts } from '../forms/date-input.js';
import { asciiDigits } from '../forms/digits.js';
import { checkDatasetField } from '../forms/field-check.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, listOf, textOf } from '../forms/form-errors.js';
import { inColumnOrder, reviewFromRow } from '../../db/client-rows.js';
import { numberFromNumeric } from '../../db/database.js';
import type { ReviewRow } from '../../db/schema.js';
import { formatUkDate } from '../render.js';
import { convertConcentrate, describeConcentrate } from './concentrate.js';
import { allowedItems, describeCompetences, missingCompetences } from './review-items.js';
import type { ReviewPhase } from './review-items.js';

/** The review form as typed, kept so that a page shown again after an error loses nothing. */
export interface ReviewFormValues {
  reviewRef: string;
  episodeVersion: string;
  /** The saved review's version when the form was opened, or empty on a new review. */
  version: string;
  phase: ReviewPhase;
  reviewDate: DateParts;
  items: string[];
  methadoneDose: string;
  concentrateVolume: string;
  concentrateStrength: string;
  buprenorphineDose: string;
  ostSupervision: string;
  relapsePreventionPrescribing: string;
  confirmedPurposes: string[];
  confirmCompetence: boolean;
  term: string;
}

/** Reads the review form's fields. Doses and date parts keep full-width digits as ASCII ones (see `asciiDigits`). */
export function readReviewForm(body: FormBody, phase: ReviewPhase): ReviewFormValues {
  return {
    reviewRef: textOf(body, 'reviewRef'),
    episodeVersion: textOf(body, 'episodeVersion'),
    version: textOf(body, 'version'),
    phase,
    reviewDate: readDateInput(body, 'reviewDate', '').parts,
    items: listOf(body, 'items'),
    methadoneDose: asciiDigits(textOf(body, 'methadoneDose')),
    concentrateVolume: asciiDigits(textOf(body, 'concentrateVolume')),
    concentrateStrength: asciiDigits(textOf(body, 'concentrateStrength')),
    buprenorphineDose: asciiDigits(textOf(body, 'buprenorphineDose')),
    ostSupervision: textOf(body, 'ostSupervision'),
    relapsePreventionPrescribing: textOf(body, 'relapsePreventionPrescribing'),
    confirmedPurposes: listOf(body, 'confirmPurpose'),
    confirmCompetence: textOf(body, 'confirmCompetence') === 'yes',
    term: textOf(body, 'term'),
  };
}

/**
 * True when the sub-intervention Search button sent the form. The page is then shown again
 * with the matches and the typed values, and nothing is saved. The search posts the form
 * because a GET would put the CSRF token, ticks, doses and date in the URL.
 */
export function isSearchOnly(body: FormBody): boolean {
  return textOf(body, 'searchOnly') === 'yes';
}

/**
 * True when a new review's reference, which the form carries in a hidden field, is in the
 * dataset's identifier format for SUBMID: 1 to 20 letters, digits and hyphens. People never
 * type it, so a bad one means the page was altered, and the exported file would fail rule D2.
 */
export function isValidReviewReference(reference: string): boolean {
  return reference !== '' && parseFieldValue(cdsQDataset.field('review', 'reviewId'), reference).ok;
}

export const invalidReferenceMessage =
  'The review reference this form carries is missing or invalid: it must be 1 to 20 letters, digits and hyphens. Nothing was saved. Reload the form to get a new reference, then enter your answers again.';

/** A saved review row with the codes of its delivered sub-interventions. */
export interface SavedReview {
  row: ReviewRow;
  items: string[];
}

/**
 * The form's values for a saved review. Purposes and the competence confirmation are
 * ticked when the saved items need them, because the review was saved with them confirmed.
 * The person changing it sees the ticks and can remove them.
 */
export function savedReviewFormValues(saved: SavedReview, episodeVersion: number, phase: ReviewPhase, staff: SignedInStaff): ReviewFormValues {
  const { row, items } = saved;
  const definitions = items.flatMap((code) => cdsQDataset.subIntervention(code) ?? []);
  return {
    reviewRef: row.review_ref,
    episodeVersion: String(episodeVersion),
    version: String(row.version),
    phase,
    reviewDate: partsOf(row.review_date),
    items: inColumnOrder(items),
    methadoneDose: doseText(row.methadone_dose),
    concentrateVolume: '',
    concentrateStrength: '',
    buprenorphineDose: doseText(row.buprenorphine_dose),
    // The form offers no "not applicable" answer, because it follows from no OST item being ticked.
    ostSupervision: row.ost_supervision === null || row.ost_supervision === cdsQDataset.conventions.ostNotApplicableCode ? '' : row.ost_supervision,
    relapsePreventionPrescribing: row.relapse_prevention_prescribing ?? '',
    confirmedPurposes: definitions.filter((item) => item.confirmPurpose).map((item) => item.code),
    confirmCompetence: definitions.some((item) => missingCompetences(item, staff).length > 0),
    term: '',
  };
}

/** Shows a numeric(5,1) dose as typed, so 60.0 reads 60. */
function doseText(numeric: string | null): string {
  const dose = numberFromNumeric(numeric);
  return dose === undefined ? '' : String(dose);
}

/** True when the checked values match what is stored, so saving them would change nothing. */
export function isUnchanged(saved: SavedReview, review: SubInterventionReview): boolean {
  const stored = reviewFromRow(saved.row, saved.items);
  return (
    stored.reviewDate === review.reviewDate &&
    // Saved items come in code order and a form's in page order.
    [...stored.delivered].sort().join(' ') === [...review.delivered].sort().join(' ') &&
    stored.methadoneDose === review.methadoneDose &&
    stored.buprenorphineDose === review.buprenorphineDose &&
    stored.ostSupervision === review.ostSupervision &&
    stored.relapsePreventionPrescribing === review.relapsePreventionPrescribing
  );
}

/** Returns the id of the input for a column, so the error summary links to the right box. */
export function reviewInputIdOf(column: string): string {
  if (cdsQDataset.subIntervention(column)) return `item-${column}`;
  const ids: Record<string, string> = {
    [cdsQDataset.columnOf('review', 'reviewDate')]: 'reviewDate-day',
    [cdsQDataset.columnOf('review', 'methadoneDose')]: 'methadoneDose',
    [cdsQDataset.columnOf('review', 'buprenorphineDose')]: 'buprenorphineDose',
    [cdsQDataset.columnOf('review', 'ostSupervision')]: 'ostSupervision',
    [cdsQDataset.columnOf('review', 'relapsePreventionPrescribing')]: 'relapsePreventionPrescribing',
  };
  return ids[column] ?? 'items-start';
}

export interface CheckedReviewForm {
  errors: FormErrors;
  review?: SubInterventionReview;
  /** The concentrate conversion in words, when one was entered. */
  concentrateNote?: string;
}

/**
 * Checks the answers that do not need the client's history: the date, the phase's items,
 * each value with the dataset's field parser, the concentrate conversion, purposes and
 * competences. The rules then run on the whole client (see the review routes).
 */
export function checkReviewForm(body: FormBody, values: ReviewFormValues, staff: SignedInStaff, dischargeDate: PlainDate | null): CheckedReviewForm {
  const errors = new FormErrors();
  const reviewDate = checkReviewDate(body, values.phase, dischargeDate, errors);
  const allowed = allowedItems(values.phase);
  const tickedItems = allowed.filter((item) => values.items.includes(item.code));
  const notAllowed = values.items.filter((code) => !allowed.some((item) => item.code === code));
  if (notAllowed.length > 0) {
    const reason = values.phase === 'post-discharge' ? 'only recovery support items may be recorded after discharge' : 'post-structured-only items may be recorded only after a successful discharge';
    const names = notAllowed.map((code) => `"${cdsQDataset.subIntervention(code)?.name ?? code}"`);
    errors.add('items-start', `${names.join(', ')} cannot be recorded on this review: ${reason}. Untick ${notAllowed.length === 1 ? 'it' : 'them'}.`);
  }

  // A dose whose medication is not ticked is kept and reported by the rules, not dropped.
  // It may mean the worker forgot to tick the item, and dropping it would save the review
  // without the medication and without telling them. The page's script disables the dose
  // questions while they are hidden, so a worker who switches medication sends only the new dose.
  const methadone = checkMethadone(values, errors);
  const buprenorphineDose = checkDatasetField(errors, 'buprenorphineDose', 'review', 'buprenorphineDose', values.buprenorphineDose, { required: false, label: cdsQDataset.field('review', 'buprenorphineDose').label });
  const anyOst = tickedItems.some((item) => item.ostMarker !== null);
  // The supervision question belongs to the oral OST items: with none ticked the answer is
  // "not applicable", whatever was left on the question while it was hidden.
  const supervisionText = anyOst ? values.ostSupervision : cdsQDataset.conventions.ostNotApplicableCode;
  const ostSupervision = checkDatasetField(errors, 'ostSupervision', 'review', 'ostSupervision', supervisionText, { required: false, label: 'Supervision of OST' });
  const relapsePrevention =
    values.phase === 'post-discharge'
      ? checkDatasetField(errors, 'relapsePreventionPrescribing', 'review', 'relapsePreventionPrescribing', values.relapsePreventionPrescribing, { required: false, label: 'Relapse-prevention prescribing' })
      : undefined;

  for (const item of tickedItems) {
    if (item.confirmPurpose && !values.confirmedPurposes.includes(item.code)) {
      errors.add(`confirmPurpose-${item.code}`, `${item.name} is ticked. Confirm the purpose: ${item.confirmPurpose}. Otherwise untick it.`);
    }
  }
  const lacking = tickedItems.filter((item) => missingCompetences(item, staff).length > 0);
  if (lacking.length > 0 && !values.confirmCompetence) {
    const details = lacking.map((item) => `${item.name} needs ${describeCompetences(missingCompetences(item, staff))}`).join('; ');
    errors.add('confirmCompetence', `Your staff record does not show what these items need: ${details}. Confirm that a practitioner who holds it delivers the item, or untick it.`);
  }

  if (errors.any || reviewDate === undefined) return { errors };
  return {
    errors,
    ...(methadone.note ? { concentrateNote: methadone.note } : {}),
    review: {
      reviewId: values.reviewRef,
      reviewDate,
      delivered: inColumnOrder(tickedItems.map((item) => item.code)),
      methadoneDose: methadone.dose,
      buprenorphineDose: typeof buprenorphineDose === 'number' ? buprenorphineDose : undefined,
      ostSupervision: ostSupervision === undefined ? undefined : String(ostSupervision),
      relapsePreventionPrescribing: relapsePrevention === undefined ? undefined : String(relapsePrevention),
    },
  };
}

function checkReviewDate(body: FormBody, phase: ReviewPhase, dischargeDate: PlainDate | null, errors: FormErrors): PlainDate | undefined {
  const answer = readDateInput(body, 'reviewDate', 'Review date');
  if (answer.kind === 'empty') errors.add('reviewDate-day', 'Enter the review date');
  if (answer.kind === 'invalid') errors.add('reviewDate-day', answer.problem);
  if (answer.kind !== 'date') return undefined;
  if (phase === 'post-discharge' && dischargeDate !== null && answer.date <= dischargeDate) {
    errors.add('reviewDate-day', `A review after discharge must be dated after the discharge date, ${formatUkDate(dischargeDate)}. Change the date, or record a review from before discharge.`);
  }
  if (phase === 'in-treatment' && dischargeDate !== null && answer.date > dischargeDate) {
    errors.add('reviewDate-day', `The episode was discharged on ${formatUkDate(dischargeDate)}, so a review dated later is a review after discharge. Change the date, or record a review after discharge.`);
  }
  return answer.date;
}

/** The methadone dose, typed directly or converted from a concentrate; both given must agree. */
function checkMethadone(values: ReviewFormValues, errors: FormErrors): { dose: number | undefined; note?: string } {
  const label = cdsQDataset.field('review', 'methadoneDose').label;
  const typed = checkDatasetField(errors, 'methadoneDose', 'review', 'methadoneDose', values.methadoneDose, { required: false, label });
  const typedDose = typeof typed === 'number' ? typed : undefined;
  if (values.concentrateVolume === '' && values.concentrateStrength === '') return { dose: typedDose };

  const converted = convertConcentrate(values.concentrateVolume, values.concentrateStrength);
  if (!converted.ok) {
    errors.add(converted.field === 'volume' ? 'concentrateVolume' : 'concentrateStrength', converted.message);
    return { dose: typedDose };
  }
  const note = describeConcentrate(converted.dose);
  if (typedDose !== undefined && typedDose !== converted.dose.equivalentMl) {
    errors.add('methadoneDose', `${label} is ${typedDose} ml but ${note}. Clear one of them, or make them agree.`);
    return { dose: typedDose };
  }
  return { dose: converted.dose.equivalentMl, note };
}
