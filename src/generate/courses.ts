import { addDays, type PlainDate } from '../domain/plain-date.js';
import type { EpisodeBuilder, InterventionDates, PlannedReview } from './episode-builder.js';
import type { Random } from './random.js';

/** An intervention's type, setting and referral, how long it runs once started, and its SIRs. */
export interface CourseSpec {
  type: string;
  setting: string;
  referral: PlainDate;
  maxWaitDays: number;
  /** Days from start to the planned end; the episode's discharge may cut it short. */
  plannedDays: number;
  /** Runs until the episode ends rather than for a set length (for example maintenance prescribing). */
  runsToDischarge: boolean;
  /** The SIRs of the intervention, given its start, its end (undefined while open) and the last date allowed. */
  reviews: (start: PlainDate, end: PlainDate | undefined, last: PlainDate) => PlannedReview[];
}

/** Adds one intervention with its SIRs and returns its dates, or undefined when it does not fit the episode. */
export function addCourse(builder: EpisodeBuilder, random: Random, spec: CourseSpec): InterventionDates | undefined {
  const dates = builder.place(random, spec.referral, spec.maxWaitDays);
  if (!dates) return undefined;
  const { choices } = builder;
  if (dates.start === undefined) {
    builder.addIntervention(spec.type, spec.setting, dates, undefined);
    return dates;
  }

  const { end, cutByDischarge } = endOf(builder, random, dates.start, spec);
  dates.end = end;
  const exit = cutByDischarge ? exitAtDischarge(builder, random) : random.weighted([[choices.exit.planned, 80], [choices.exit.unplanned, 15], [choices.exit.withdrawnByProvider, 5]]);
  builder.addIntervention(spec.type, spec.setting, dates, exit);
  builder.addReviews(spec.reviews(dates.start, end, end ?? builder.frame.horizon));
  return dates;
}

function endOf(builder: EpisodeBuilder, random: Random, start: PlainDate, spec: CourseSpec): { end: PlainDate | undefined; cutByDischarge: boolean } {
  const { discharge, horizon } = builder.frame;
  const planned = addDays(start, spec.plannedDays);
  if (discharge === undefined) {
    return { end: spec.runsToDischarge || planned > horizon ? undefined : planned, cutByDischarge: false };
  }
  if (!spec.runsToDischarge && planned < discharge) return { end: planned, cutByDischarge: false };

  // Interventions running at discharge end on the day or a few days before it.
  const end = addDays(discharge, -random.integer(0, 3));
  return { end: end < start ? start : end, cutByDischarge: true };
}

function exitAtDischarge(builder: EpisodeBuilder, random: Random): string {
  const { exit } = builder.choices;
  if (builder.frame.successful) return exit.planned;
  return random.weighted([[exit.unplanned, 70], [exit.withdrawnByProvider, 15], [exit.planned, 15]]);
}

/** SIR dates: at the start, every three to six months, and at the end when there is one. */
export function reviewDates(random: Random, start: PlainDate, end: PlainDate | undefined, last: PlainDate): PlainDate[] {
  const dates = [start];
  const limit = end ?? last;
  for (let next = addDays(start, random.integer(90, 180)); next < limit; next = addDays(next, random.integer(90, 180))) {
    dates.push(next);
  }
  if (end !== undefined && end > start) dates.push(end);
  return dates;
}

/** Adds a psychosocial or recovery support course with the same items at every SIR. */
export function addItemCourse(
  builder: EpisodeBuilder,
  random: Random,
  course: { type: string; setting: string; referral: PlainDate; items: string[]; plannedDays: number },
): InterventionDates | undefined {
  return addCourse(builder, random, {
    ...course,
    maxWaitDays: 21,
    runsToDischarge: false,
    reviews: (start, end, last) => reviewDates(random, start, end, last).map((date) => ({ date, delivered: course.items })),
  });
}

/** Psychosocial courses, one after another, for most of the episode. */
export function addPsychosocialWork(builder: EpisodeBuilder, random: Random, items: readonly string[], from: PlainDate): void {
  const { choices } = builder;
  let referral = from;
  for (let course = 0; course < 4; course++) {
    const dates = addItemCourse(builder, random, {
      type: choices.interventionType.psychosocial,
      setting: random.chance(0.95) ? choices.setting.community : choices.setting.residential,
      referral,
      items: random.sample(items, random.chance(0.7) ? 1 : 2),
      plannedDays: random.integer(42, 270),
    });
    if (!dates?.end || random.chance(0.5)) return;
    referral = addDays(dates.end, random.integer(30, 365));
  }
}

/** Adds one recovery support intervention with one to three items. */
export function addRecoverySupport(builder: EpisodeBuilder, random: Random, items: readonly string[], from: PlainDate): void {
  const { choices } = builder;
  addItemCourse(builder, random, {
    type: choices.interventionType.recoverySupport,
    setting: random.chance(0.95) ? choices.setting.community : choices.setting.recoveryHouse,
    referral: from,
    items: random.sample(items, random.integer(1, 3)),
    plannedDays: random.integer(60, 365),
  });
}
