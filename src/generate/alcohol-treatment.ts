import { addDays, type PlainDate } from '../domain/plain-date.js';
import { addCourse, reviewDates } from './courses.js';
import type { EpisodeBuilder, PlannedReview } from './episode-builder.js';
import type { Random } from './random.js';

/**
 * Adds alcohol prescribing: usually a community detox (chlordiazepoxide in most cases)
 * with vitamin B and C, sometimes an inpatient detox, then often relapse-prevention
 * medication reviewed every three to six months. Returns the withdrawal item used, if any.
 */
export function addAlcoholPrescribing(builder: EpisodeBuilder, random: Random, from: PlainDate, avoidWithdrawal: ReadonlySet<string>): string | undefined {
  const { items } = builder.choices;
  const withdrawalItem = random.chance(0.85) ? items.alcoholWithdrawal.chlordiazepoxide : random.pick(items.alcoholWithdrawal.others);
  const detox = !avoidWithdrawal.has(withdrawalItem) && random.chance(0.75);
  const relapsePrevention = !detox || random.chance(0.6) ? random.pick(items.alcoholRelapsePrevention) : undefined;

  if (detox && random.chance(0.1)) {
    const ended = addInpatientDetox(builder, random, from, withdrawalItem);
    if (relapsePrevention && ended) addRelapsePrevention(builder, random, addDays(ended, 1), relapsePrevention);
    return ended ? withdrawalItem : undefined;
  }
  return addCommunityPrescribing(builder, random, from, detox ? withdrawalItem : undefined, relapsePrevention);
}

/** Adds an inpatient detox of one to two weeks, well inside the inpatient limit, and returns its end date. */
function addInpatientDetox(builder: EpisodeBuilder, random: Random, from: PlainDate, withdrawalItem: string): PlainDate | undefined {
  const { choices } = builder;
  const dates = addCourse(builder, random, {
    type: choices.interventionType.pharmacological,
    setting: choices.setting.inpatient,
    referral: from,
    maxWaitDays: 28,
    plannedDays: random.integer(7, 14),
    runsToDischarge: false,
    reviews: (start, end) => {
      const delivered = [withdrawalItem, choices.items.vitamins];
      return end === undefined ? [{ date: start, delivered }] : [{ date: start, delivered }, { date: end, delivered }];
    },
  });
  return dates?.end;
}

function addRelapsePrevention(builder: EpisodeBuilder, random: Random, from: PlainDate, item: string): void {
  const { choices } = builder;
  addCourse(builder, random, {
    type: choices.interventionType.pharmacological,
    setting: random.chance(0.8) ? choices.setting.community : choices.setting.primaryCare,
    referral: from,
    maxWaitDays: 7,
    plannedDays: random.integer(90, 365),
    runsToDischarge: false,
    reviews: (start, end, last) => reviewDates(random, start, end, last).map((date) => ({ date, delivered: [item] })),
  });
}

/** Adds a community pharmacological intervention: detox first when there is one, then relapse prevention. */
function addCommunityPrescribing(
  builder: EpisodeBuilder,
  random: Random,
  from: PlainDate,
  withdrawalItem: string | undefined,
  relapsePrevention: string | undefined,
): string | undefined {
  const { choices } = builder;
  const detoxDays = random.integer(5, 21);
  const vitamins = random.chance(0.7);
  let usedWithdrawal: string | undefined;

  addCourse(builder, random, {
    type: choices.interventionType.pharmacological,
    setting: random.chance(0.85) ? choices.setting.community : choices.setting.primaryCare,
    referral: from,
    maxWaitDays: 14,
    plannedDays: withdrawalItem !== undefined && relapsePrevention === undefined ? detoxDays : random.integer(120, 365),
    runsToDischarge: false,
    reviews: (start, end, last) => {
      const reviews: PlannedReview[] = [];
      let from = start;
      if (withdrawalItem !== undefined) {
        const delivered = vitamins ? [withdrawalItem, choices.items.vitamins] : [withdrawalItem];
        const detoxEnd = addDays(start, detoxDays);
        reviews.push({ date: start, delivered });
        if (detoxEnd <= (end ?? last)) reviews.push({ date: detoxEnd, delivered });
        usedWithdrawal = withdrawalItem;
        from = addDays(detoxEnd, random.integer(1, 7));
      }
      if (relapsePrevention !== undefined && from <= (end ?? last)) {
        const keepVitamins = vitamins && random.chance(0.3);
        const delivered = keepVitamins ? [relapsePrevention, choices.items.vitamins] : [relapsePrevention];
        for (const date of reviewDates(random, from, end, last)) reviews.push({ date, delivered });
      }
      return reviews;
    },
  });
  return usedWithdrawal;
}
