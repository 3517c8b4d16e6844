import type { InterventionSpec, ReviewSpec } from './example-records.js';
import { choices, dataset, itemNamed } from './example-records.js';

// Sub-interventions and record shapes that the example clients are written with, each
// looked up in the dataset by name so that the examples carry no codes.

const { interventionType: type, setting, discharge, supervision } = choices;

export const psychosocial = {
  motivational: itemNamed(/^Motivational/),
  contingency: itemNamed(/^Contingency/),
  family: itemNamed(/^Family and social network/),
  cognitive: itemNamed(/^Cognitive/),
  mentalHealth: itemNamed(/co-existing mental health/),
  psychodynamic: itemNamed(/^Psychodynamic/),
  twelveStep: itemNamed(/^12-step/),
  counselling: itemNamed(/^Counselling/),
};

export const recovery = {
  peer: itemNamed(/^Peer support/),
  mutualAid: itemNamed(/mutual aid/),
  family: itemNamed(/^Family support/),
  parenting: itemNamed(/^Parenting/),
  housing: itemNamed(/^Housing/),
  employment: itemNamed(/^Employment/),
  education: itemNamed(/^Education/),
  workProjects: itemNamed(/^Supported work/),
  checkUps: itemNamed(/^Recovery check-ups/),
  relapsePrevention: itemNamed(/support relapse prevention/),
  complementary: itemNamed(/^Complementary/),
  mentalHealth: itemNamed(/^Mental health interventions/),
  smoking: itemNamed(/^Smoking/),
  victim: itemNamed(/victim/),
  perpetrator: itemNamed(/perpetrator/),
};

export const medication = {
  diamorphineInjection: itemNamed(/^Diamorphine injection/),
  methadoneInjection: itemNamed(/^Methadone injection/),
  benzodiazepineMaintenance: itemNamed(/^Benzodiazepine – benzodiazepine maintenance/),
  benzodiazepineStimulant: itemNamed(/^Benzodiazepine – stimulant/),
  benzodiazepineGhb: itemNamed(/GHB/),
  stimulant: itemNamed(/^Stimulant/),
  pregabalin: itemNamed(/^Pregabalin/),
  gabapentin: itemNamed(/^Gabapentin/),
  naltrexoneAlcohol: itemNamed(/^Naltrexone.*alcohol/),
  diazepam: itemNamed(/^Diazepam/),
  carbamazepine: itemNamed(/^Carbamazepine/),
  otherAlcohol: itemNamed(/^Other prescribed medication for alcohol/),
  acamprosate: itemNamed(/^Acamprosate/),
  disulfiram: itemNamed(/^Disulfiram/),
};

export const unsuccessful = {
  droppedOut: unsuccessfulReason(/dropped out/),
  transferred: unsuccessfulReason(/Transferred, not in custody/),
  withdrawnByProvider: unsuccessfulReason(/withdrawn by provider/),
};

function unsuccessfulReason(pattern: RegExp): string {
  const found = discharge.unsuccessful.map(([code]) => code).find((code) => pattern.test(dataset.codeLabel('discharge-reason', code) ?? ''));
  if (found === undefined) throw new Error(`No unsuccessful discharge reason is labelled like ${pattern.source}`);
  return found;
}

export function pharmacological(referral: string, start: string, end?: string, exitStatus?: string, where = setting.community): InterventionSpec {
  return { type: type.pharmacological, setting: where, referral, start, end, exit: exitStatus };
}

export function psychosocialWork(referral: string, start: string, end?: string, exitStatus?: string): InterventionSpec {
  return { type: type.psychosocial, setting: setting.community, referral, firstOffered: start, start, end, exit: exitStatus };
}

export function recoverySupport(referral: string, start: string, end?: string, exitStatus?: string): InterventionSpec {
  return { type: type.recoverySupport, setting: setting.community, referral, start, end, exit: exitStatus };
}

/** Builds one SIR per date, each with the same items. */
export function each(dates: string[], itemCodes: string[]): ReviewSpec[] {
  return dates.map((date) => ({ date, items: itemCodes }));
}

export function methadone(date: string, item: string, dose: number, supervised: boolean): ReviewSpec {
  return { date, items: [item], methadoneDose: dose, supervision: supervised ? supervision.supervised : supervision.unsupervised };
}

export function buprenorphine(date: string, item: string, dose: number, supervised: boolean): ReviewSpec {
  return { date, items: [item], buprenorphineDose: dose, supervision: supervised ? supervision.supervised : supervision.unsupervised };
}
