import { addDays, daysBetween, type PlainDate } from '../domain/plain-date.js';
import type { OpioidMedication } from './dataset-choices.js';
import { addCourse } from './courses.js';
import type { EpisodeBuilder, PlannedReview } from './episode-builder.js';
import type { Random } from './random.js';

type Prescription = 'methadone' | 'buprenorphine' | 'buprenorphine-naloxone' | 'depot' | 'injectable';

/** Dose ranges for the oral medications: ml of 1 mg/1 ml methadone, or mg of buprenorphine. */
const doseRanges = {
  methadone: { stabilisation: [20, 40], maintenance: [40, 120], tapered: [20, 30], step: 5 },
  buprenorphine: { stabilisation: [4, 8], maintenance: [8, 24], tapered: [2, 4], step: 1 },
} as const;

/**
 * Adds opioid substitution prescribing that runs until discharge: stabilisation, then
 * maintenance with reviews every three to six months, and for a successful completion a
 * medically assisted withdrawal of at most 11 weeks at the end. Returns the withdrawal
 * item used, if any, so that a later episode of the client can avoid a long run of it.
 */
export function addOpioidPrescribing(builder: EpisodeBuilder, random: Random, from: PlainDate, avoidWithdrawal: ReadonlySet<string>): string | undefined {
  const { choices } = builder;
  const prescription = random.weighted<Prescription>([
    ['methadone', 68],
    ['buprenorphine', 14],
    ['buprenorphine-naloxone', 10],
    ['depot', 7],
    ['injectable', 1],
  ]);
  const items = itemsFor(builder, random, prescription);
  const taper = builder.frame.successful && items.withdrawal !== undefined && !avoidWithdrawal.has(items.withdrawal);
  let usedWithdrawal: string | undefined;

  addCourse(builder, random, {
    type: choices.interventionType.pharmacological,
    setting: random.chance(0.85) ? choices.setting.community : choices.setting.primaryCare,
    referral: from,
    maxWaitDays: 10,
    plannedDays: 0,
    runsToDischarge: true,
    reviews: (start, end, last) => {
      const reviews = phasedReviews(random, builder, prescription, items, start, end, last, taper);
      usedWithdrawal = reviews.some((review) => items.withdrawal !== undefined && review.delivered.includes(items.withdrawal)) ? items.withdrawal : undefined;
      return reviews;
    },
  });
  return usedWithdrawal;
}

interface PhaseItems {
  stabilisation: string | undefined;
  maintenance: string;
  withdrawal: string | undefined;
}

function itemsFor(builder: EpisodeBuilder, random: Random, prescription: Prescription): PhaseItems {
  const { items } = builder.choices;
  const oral = (medication: OpioidMedication): PhaseItems => ({ ...medication });
  switch (prescription) {
    case 'methadone':
      return oral(items.methadone);
    case 'buprenorphine':
      return oral(items.buprenorphine);
    case 'buprenorphine-naloxone':
      return oral(items.buprenorphineNaloxone);
    case 'depot':
      return { stabilisation: undefined, maintenance: items.depot.maintenance, withdrawal: items.depot.withdrawal };
    case 'injectable': {
      const injectable = random.pick(items.injectables);
      return { stabilisation: undefined, maintenance: injectable, withdrawal: undefined };
    }
  }
}

function phasedReviews(
  random: Random,
  builder: EpisodeBuilder,
  prescription: Prescription,
  items: PhaseItems,
  start: PlainDate,
  end: PlainDate | undefined,
  last: PlainDate,
  taper: boolean,
): PlannedReview[] {
  const dosing = new Dosing(random, builder, prescription);
  const reviews: PlannedReview[] = [];
  const stabilised = addDays(start, random.integer(14, 84));
  // A withdrawal run is kept to 28-77 days between its first and last SIR, under the 84-day community limit.
  const taperStart = end !== undefined && taper ? addDays(end, -random.integer(28, 77)) : undefined;
  const maintenanceUntil = taperStart ?? end ?? addDays(last, 1);

  reviews.push(dosing.review(start, items.stabilisation ?? items.maintenance, 'stabilisation'));
  for (let date = stabilised; date < maintenanceUntil && date <= last; date = addDays(date, random.integer(90, 180))) {
    reviews.push(dosing.review(date, items.maintenance, 'maintenance'));
  }

  const withdrawal = items.withdrawal;
  if (taperStart !== undefined && end !== undefined && withdrawal !== undefined && taperStart > start && daysBetween(taperStart, end) > 0) {
    reviews.push(dosing.review(taperStart, withdrawal, 'maintenance'));
    reviews.push(...taperEnd(random, builder, dosing, withdrawal, taperStart, end));
  } else if (end !== undefined && end > start) {
    reviews.push(dosing.review(end, items.maintenance, 'maintenance'));
  }
  return reviews;
}

/**
 * Builds the last SIRs of a withdrawal. Usually that is the exit SIR at a low dose, sometimes
 * with other medication for symptoms. Now and then the withdrawal ends a week or two early,
 * and the exit SIR records oral naltrexone to prevent relapse instead.
 */
function taperEnd(random: Random, builder: EpisodeBuilder, dosing: Dosing, withdrawal: string, taperStart: PlainDate, end: PlainDate): PlannedReview[] {
  const { items } = builder.choices;
  const finished = addDays(end, -random.integer(7, 14));
  if (finished > taperStart && random.chance(0.1)) {
    return [dosing.review(finished, withdrawal, 'tapered'), { date: end, delivered: [items.opioidRelapsePrevention] }];
  }
  const exit = dosing.review(end, withdrawal, 'tapered');
  if (random.chance(0.15)) exit.delivered = [...exit.delivered, items.otherMedication];
  return [exit];
}

type Phase = 'stabilisation' | 'maintenance' | 'tapered';

/** Keeps a client's dose and supervision drifting plausibly from one review to the next. */
class Dosing {
  private maintenanceDose: number | undefined;

  constructor(
    private readonly random: Random,
    private readonly builder: EpisodeBuilder,
    private readonly prescription: Prescription,
  ) {}

  review(date: PlainDate, item: string, phase: Phase): PlannedReview {
    const review: PlannedReview = { date, delivered: [item] };
    const oral = this.builder.choices.items;
    const isMethadone = [oral.methadone.stabilisation, oral.methadone.withdrawal, oral.methadone.maintenance].includes(item);
    const isBuprenorphine = !isMethadone && (this.prescription === 'buprenorphine' || this.prescription === 'buprenorphine-naloxone');
    if (!isMethadone && !isBuprenorphine) return review;

    const dose = this.dose(isMethadone ? doseRanges.methadone : doseRanges.buprenorphine, phase);
    if (isMethadone) review.methadoneDose = dose;
    else review.buprenorphineDose = dose;
    const supervisedShare = phase === 'stabilisation' ? 0.9 : 0.4;
    const { supervision } = this.builder.choices;
    review.supervision = this.random.chance(supervisedShare) ? supervision.supervised : supervision.unsupervised;
    return review;
  }

  private dose(range: (typeof doseRanges)['methadone'] | (typeof doseRanges)['buprenorphine'], phase: Phase): number {
    const [low, high] = range[phase];
    if (phase !== 'maintenance') return this.roundTo(this.random.integer(low, high), range.step);
    const drift = this.random.integer(-2, 2) * range.step;
    const previous = this.maintenanceDose ?? this.random.integer(low, high);
    this.maintenanceDose = Math.min(high, Math.max(low, this.roundTo(previous + drift, range.step)));
    // A few doses carry a half unit, as split measures and wafer strengths do.
    if (this.maintenanceDose < high && this.random.chance(0.05)) return this.maintenanceDose + 0.5;
    return this.maintenanceDose;
  }

  private roundTo(value: number, step: number): number {
    return Math.round(value / step) * step;
  }
}
