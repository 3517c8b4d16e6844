import { cdsQDataset, type Dataset } from '../dataset/index.js';
import type { Client, Episode } from '../domain/model.js';
import { addDays, dateParts, plainDateFromParts, type PlainDate } from '../domain/plain-date.js';
import { parseReportingPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import { addAlcoholPrescribing } from './alcohol-treatment.js';
import { addPsychosocialWork, addRecoverySupport } from './courses.js';
import { chooseFromDataset, type DatasetChoices } from './dataset-choices.js';
import { addNonOpiatePrescribing } from './drug-treatment.js';
import { EpisodeBuilder, type EpisodeFrame, type PlannedReview } from './episode-builder.js';
import { profileShares, sampleFrame, type Profile } from './episode-frame.js';
import { addOpioidPrescribing } from './opioid-treatment.js';
import { deriveSeed, Random } from './random.js';

export interface GenerateOptions {
  /** How many clients to generate. */
  clients: number;
  /** NDTMS agency code written on every row. */
  agency: string;
  /** Reporting month: no date falls after its last day. `YYYY-MM` or a parsed period. */
  period: ReportingPeriod | string;
  /** The same seed always gives the same clients. */
  seed: number;
  dataset?: Dataset;
}

/** Context shared by every client of one run. */
interface Run {
  agency: string;
  period: ReportingPeriod;
  choices: DatasetChoices;
  columnOrder: ReadonlyMap<string, number>;
}

/**
 * Generates synthetic clients that look like a community treatment service's caseload,
 * one at a time so that a large file never sits in memory. Client `n` depends only on the
 * seed and `n`, so a longer run starts with the clients of a shorter one.
 */
export function* generateClients(options: GenerateOptions): Generator<Client> {
  const run = prepareRun(options);
  for (let index = 0; index < options.clients; index++) {
    yield generateClient(run, new Random(deriveSeed(options.seed, index)), index);
  }
}

function prepareRun(options: GenerateOptions): Run {
  const dataset = options.dataset ?? cdsQDataset;
  const period = typeof options.period === 'string' ? parseReportingPeriod(options.period) : options.period;
  if (!period) throw new Error(`Reporting period "${String(options.period)}" is invalid: give it as YYYY-MM, such as 2024-03.`);
  if (!Number.isInteger(options.clients) || options.clients < 0) throw new Error(`Client count ${options.clients} is invalid: give a whole number of 0 or more.`);
  return {
    agency: options.agency,
    period,
    choices: chooseFromDataset(dataset),
    columnOrder: new Map(dataset.subInterventions.map((item, index) => [item.code, index])),
  };
}

function generateClient(run: Run, random: Random, index: number): Client {
  const { choices } = run;
  const clientId = clientIdFor(random, index);
  if (random.chance(0.02)) {
    return { agency: run.agency, clientId, firstInitial: undefined, surnameInitial: undefined, dateOfBirth: undefined, sex: undefined, consent: choices.consent.refused, episodes: [] };
  }

  const profile = random.weighted(profileShares);
  const episodes = generateEpisodes(run, random, profile, clientId);
  const firstTriage = episodes[0]?.triageDate;
  if (firstTriage === undefined) throw new Error(`Client ${clientId} was generated without an episode`);
  return {
    agency: run.agency,
    clientId,
    firstInitial: randomLetter(random),
    surnameInitial: randomLetter(random),
    dateOfBirth: dateOfBirthFor(random, profile, firstTriage),
    sex: random.weighted([[choices.sex.male, 64], [choices.sex.female, 35.5], ...choices.sex.others.map((code) => [code, 0.5 / choices.sex.others.length] as const)]),
    consent: choices.consent.given,
    episodes,
  };
}

/** Makes a client reference from the sequence number, zero-padding about a third as some systems write them. */
function clientIdFor(random: Random, index: number): string {
  const number = String(1000 + index);
  return random.chance(0.3) ? number.padStart(8, '0') : number;
}

function generateEpisodes(run: Run, random: Random, profile: Profile, clientId: string): Episode[] {
  const roll = random.next();
  const recent = roll < 0.03;
  const twoEpisodes = !recent && roll < 0.08;
  const episodes: Episode[] = [];
  const usedWithdrawal = new Set<string>();

  const firstFrame = sampleFrame(random, run.choices, profile, run.period, { recent, endsEarly: twoEpisodes }) ?? sampleFrame(random, run.choices, profile, run.period);
  if (!firstFrame) throw new Error(`No episode fits reporting period ${run.period.year}-${run.period.month}`);
  const first = new EpisodeBuilder(firstFrame, run.choices, run.columnOrder);
  if (!recent) fillEpisode(first, random, profile, usedWithdrawal);
  episodes.push(first.build(`${clientId}-E1`));

  if (twoEpisodes && firstFrame.discharge !== undefined) {
    const earliest = addDays(first.lastDate(), random.integer(14, 90));
    const secondFrame = sampleFrame(random, run.choices, profile, run.period, { earliest });
    if (secondFrame) {
      const second = new EpisodeBuilder(secondFrame, run.choices, run.columnOrder);
      fillEpisode(second, random, profile, usedWithdrawal);
      episodes.push(second.build(`${clientId}-E2`));
    }
  }
  return episodes;
}

/** Adds the interventions and SIRs typical of the profile, then any post-discharge support. */
function fillEpisode(builder: EpisodeBuilder, random: Random, profile: Profile, usedWithdrawal: Set<string>): void {
  const { choices, frame } = builder;
  const soon = (maxDays: number): PlainDate => addDays(frame.triage, random.integer(0, maxDays));
  const share = { opiate: [0.95, 0.55, 0.4], alcohol: [0.55, 0.85, 0.5], 'non-opiate': [0.12, 0.9, 0.4] }[profile];
  const [pharmacological = 0, psychosocial = 0, recovery = 0] = share;

  const prescribed = random.chance(pharmacological);
  // Everyone in structured treatment has at least one structured intervention.
  const talking = random.chance(psychosocial) || !prescribed;
  if (prescribed) {
    const withdrawal = prescribe(builder, random, profile, soon(7), usedWithdrawal);
    if (withdrawal !== undefined) usedWithdrawal.add(withdrawal);
  }
  if (talking) addPsychosocialWork(builder, random, choices.items.psychosocial, soon(prescribed ? 60 : 14));
  if (random.chance(recovery)) addRecoverySupport(builder, random, choices.items.recoverySupport, soon(180));
  if (frame.successful && random.chance(0.6)) builder.addPostDischargeReviews(postDischargeReviews(builder, random, profile, frame));
}

function prescribe(builder: EpisodeBuilder, random: Random, profile: Profile, from: PlainDate, avoid: ReadonlySet<string>): string | undefined {
  switch (profile) {
    case 'opiate':
      return addOpioidPrescribing(builder, random, from, avoid);
    case 'alcohol':
      return addAlcoholPrescribing(builder, random, from, avoid);
    case 'non-opiate':
      return addNonOpiatePrescribing(builder, random, from, avoid);
  }
}

/**
 * Recovery check-ups and other post-structured support after a successful discharge. The
 * relapse-prevention prescribing question is answered on the first one only, because a
 * final script is a one-off.
 */
function postDischargeReviews(builder: EpisodeBuilder, random: Random, profile: Profile, frame: EpisodeFrame): PlannedReview[] {
  const { items, relapsePrevention } = builder.choices;
  if (frame.discharge === undefined) return [];
  const reviews: PlannedReview[] = [];
  let date = addDays(frame.discharge, random.integer(14, 90));
  for (let count = random.integer(1, 3); count > 0 && date <= frame.periodEnd; count--) {
    const delivered = random.sample(items.postStructuredOnly, random.integer(1, 2));
    if (random.chance(0.5)) delivered.push(random.pick(items.recoverySupport));
    const review: PlannedReview = { date, delivered };
    const answered = reviews.length === 0 ? relapseAnswer(random, profile, relapsePrevention) : random.chance(0.5) ? relapsePrevention.none : undefined;
    if (answered !== undefined) review.relapsePrevention = answered;
    reviews.push(review);
    date = addDays(date, random.integer(60, 120));
  }
  return reviews;
}

function relapseAnswer(random: Random, profile: Profile, codes: DatasetChoices['relapsePrevention']): string | undefined {
  const given = profile === 'alcohol' ? codes.alcohol : codes.drug;
  return random.weighted<string | undefined>([[given, 28], [codes.both, 2], [codes.none, 45], [undefined, 25]]);
}

function randomLetter(random: Random): string {
  return String.fromCharCode(65 + random.integer(0, 25));
}

/** Chooses a date of birth giving an age at first triage of 18 to 75, centred on the profile's usual ages. */
function dateOfBirthFor(random: Random, profile: Profile, triage: PlainDate): PlainDate {
  const [low, high] = { opiate: [25, 65], alcohol: [20, 75], 'non-opiate': [19, 55] }[profile] as [number, number];
  // The mean of two draws peaks in the middle of the range, like a real age profile.
  const age = Math.round((random.integer(low, high) + random.integer(low, high)) / 2);
  const { year } = dateParts(triage);
  // Born in the year `age` before triage: the age at triage is `age` or one less, so 18 to 75.
  return plainDateFromParts(year - age, random.integer(1, 12), random.integer(1, 28)) as PlainDate;
}
