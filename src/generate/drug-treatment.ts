import type { PlainDate } from '../domain/plain-date.js';
import { addCourse, reviewDates } from './courses.js';
import type { EpisodeBuilder } from './episode-builder.js';
import type { Random } from './random.js';

/**
 * Adds prescribing for a non-opiate drug problem: a short withdrawal (stimulants, GHB/GBL,
 * gabapentinoids), benzodiazepine maintenance, or other medication for symptoms. Returns
 * the withdrawal item used, if any.
 */
export function addNonOpiatePrescribing(builder: EpisodeBuilder, random: Random, from: PlainDate, avoidWithdrawal: ReadonlySet<string>): string | undefined {
  const { choices } = builder;
  const candidates = [...choices.items.nonOpiateMedication, choices.items.otherMedication].filter((code) => !avoidWithdrawal.has(code));
  if (candidates.length === 0) return undefined;
  const item = random.pick(candidates);
  const withdrawal = builder.choices.withdrawalItems.has(item);
  let used: string | undefined;

  addCourse(builder, random, {
    type: choices.interventionType.pharmacological,
    setting: choices.setting.community,
    referral: from,
    maxWaitDays: 14,
    // A withdrawal stays well inside the 84-day community limit; other prescribing runs longer.
    plannedDays: withdrawal ? random.integer(14, 70) : random.integer(90, 365),
    runsToDischarge: false,
    reviews: (start, end, last) => {
      const dates = withdrawal ? [start, ...(end !== undefined && end > start ? [end] : [])] : reviewDates(random, start, end, last);
      if (withdrawal) used = item;
      return dates.map((date) => ({ date, delivered: [item] }));
    },
  });
  return used;
}
