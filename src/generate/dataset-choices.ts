import type { Dataset, SubInterventionDefinition } from '../dataset/index.js';

/**
 * The codes and sub-interventions the generator draws from, looked up in the dataset
 * definition by meaning (group, marker, medication, purpose, label) so that no CDS-Q code
 * is written here. A lookup that finds nothing throws, because the definition then no
 * longer defines what the generator relies on.
 */
export interface DatasetChoices {
  sex: { male: string; female: string; others: string[] };
  consent: { given: string; refused: string };
  interventionType: { pharmacological: string; psychosocial: string; recoverySupport: string };
  setting: { community: string; primaryCare: string; inpatient: string; residential: string; recoveryHouse: string };
  exit: { planned: string; unplanned: string; withdrawnByProvider: string };
  discharge: {
    drugFree: string;
    alcoholFree: string;
    occasionalUser: string;
    /** Unsuccessful reasons with how often each happens, relative to each other. */
    unsuccessful: (readonly [string, number])[];
  };
  supervision: { supervised: string; unsupervised: string; notApplicable: string };
  relapsePrevention: { drug: string; alcohol: string; both: string; none: string };
  items: ItemChoices;
  /** Every withdrawal sub-intervention, whose runs the 84-day community limit applies to. */
  withdrawalItems: ReadonlySet<string>;
}

/** One oral or injected opioid medication with its three purposes. */
export interface OpioidMedication {
  stabilisation: string;
  withdrawal: string;
  maintenance: string;
}

export interface ItemChoices {
  methadone: OpioidMedication;
  buprenorphine: OpioidMedication;
  buprenorphineNaloxone: OpioidMedication;
  depot: { withdrawal: string; maintenance: string };
  /** Injectables that cover every opioid purpose with one item. */
  injectables: string[];
  alcoholWithdrawal: { chlordiazepoxide: string; others: string[] };
  alcoholRelapsePrevention: string[];
  opioidRelapsePrevention: string;
  vitamins: string;
  otherMedication: string;
  /** Items for stimulant, GHB/GBL, gabapentinoid and benzodiazepine problems. */
  nonOpiateMedication: string[];
  psychosocial: string[];
  recoverySupport: string[];
  postStructuredOnly: string[];
}

export function chooseFromDataset(dataset: Dataset): DatasetChoices {
  const label = (list: string, pattern: RegExp): string => codeWithLabel(dataset, list, pattern);
  const conventions = dataset.conventions;
  const [supervised, unsupervised] = [label('ost-supervision', /^supervised/i), label('ost-supervision', /^unsupervised/i)];
  const successful = conventions.successfulDischargeReasons;

  return {
    sex: {
      male: label('sex', /^male/i),
      female: label('sex', /^female/i),
      others: dataset.codeList('sex').codes.map((entry) => entry.code).filter((code) => code !== label('sex', /^male/i) && code !== label('sex', /^female/i)),
    },
    consent: {
      given: only(dataset.codeList('consent').codes.map((entry) => entry.code).filter((code) => code !== conventions.noConsentCode), 'consent given'),
      refused: conventions.noConsentCode,
    },
    interventionType: {
      pharmacological: interventionTypeOf(dataset, 'structured-pharmacological'),
      psychosocial: interventionTypeOf(dataset, 'structured-psychosocial'),
      recoverySupport: interventionTypeOf(dataset, 'recovery-support'),
    },
    setting: {
      community: label('setting', /community/i),
      primaryCare: label('setting', /primary care/i),
      inpatient: only(conventions.inpatientSettings, 'inpatient setting'),
      residential: label('setting', /residential/i),
      recoveryHouse: label('setting', /recovery house/i),
    },
    exit: {
      planned: label('exit-status', /^mutually agreed planned/i),
      unplanned: label('exit-status', /unplanned/i),
      withdrawnByProvider: label('exit-status', /withdrawn/i),
    },
    discharge: {
      drugFree: successfulWithLabel(dataset, successful, /drug free/i),
      alcoholFree: successfulWithLabel(dataset, successful, /alcohol free/i),
      occasionalUser: successfulWithLabel(dataset, successful, /occasional/i),
      unsuccessful: unsuccessfulReasons(dataset, successful),
    },
    supervision: { supervised, unsupervised, notApplicable: conventions.ostNotApplicableCode },
    relapsePrevention: {
      drug: label('relapse-prevention-prescribing', /^drug/i),
      alcohol: label('relapse-prevention-prescribing', /^alcohol/i),
      both: label('relapse-prevention-prescribing', /^both/i),
      none: only(
        dataset.codeList('relapse-prevention-prescribing').codes.map((entry) => entry.code).filter((code) => !conventions.relapsePreventionGivenCodes.includes(code)),
        'relapse-prevention prescribing none',
      ),
    },
    items: chooseItems(dataset.subInterventions),
    withdrawalItems: new Set(dataset.subInterventions.filter((item) => item.withdrawal).map((item) => item.code)),
  };
}

function chooseItems(items: SubInterventionDefinition[]): ItemChoices {
  const where = (description: string, test: (item: SubInterventionDefinition) => boolean): string[] => {
    const codes = items.filter(test).map((item) => item.code);
    if (codes.length === 0) throw new Error(`The dataset defines no sub-intervention for ${description}`);
    return codes;
  };
  const one = (description: string, test: (item: SubInterventionDefinition) => boolean): string => only(where(description, test), description);
  const pharmacological = items.filter((item) => item.group === 'structured-pharmacological');
  const opioid = (description: string, test: (item: SubInterventionDefinition) => boolean): OpioidMedication => {
    const family = pharmacological.filter(test);
    const purpose = (word: string): string => only(family.filter((item) => item.purpose?.includes(word)).map((item) => item.code), `${description} ${word}`);
    return { stabilisation: purpose('stabilisation'), withdrawal: purpose('withdrawal'), maintenance: purpose('maintenance') };
  };
  const isAlcoholWithdrawal = (item: SubInterventionDefinition): boolean => item.withdrawal && item.purpose === 'alcohol withdrawal';

  return {
    methadone: opioid('oral methadone', (item) => item.ostMarker === 'oral-methadone'),
    buprenorphine: opioid('oral buprenorphine', (item) => item.ostMarker === 'oral-buprenorphine' && !item.medication?.includes('naloxone')),
    buprenorphineNaloxone: opioid('buprenorphine with naloxone', (item) => item.ostMarker === 'oral-buprenorphine' && item.medication?.includes('naloxone') === true),
    depot: {
      withdrawal: one('depot buprenorphine withdrawal', (item) => item.medication?.includes('depot') === true && item.withdrawal),
      maintenance: one('depot buprenorphine maintenance', (item) => item.medication?.includes('depot') === true && !item.withdrawal),
    },
    injectables: where('injected opioids', (item) => item.medication?.endsWith('injection') === true && !item.medication.includes('depot')),
    alcoholWithdrawal: {
      chlordiazepoxide: one('chlordiazepoxide', (item) => isAlcoholWithdrawal(item) && item.medication === 'chlordiazepoxide'),
      others: where('other alcohol withdrawal', (item) => isAlcoholWithdrawal(item) && item.medication !== 'chlordiazepoxide'),
    },
    alcoholRelapsePrevention: where('alcohol relapse prevention', (item) => item.purpose?.startsWith('alcohol relapse prevention') === true),
    opioidRelapsePrevention: one('opioid relapse prevention', (item) => item.purpose === 'opioid relapse prevention'),
    vitamins: one('vitamin B and C', (item) => item.medication === 'vitamin B and C'),
    otherMedication: one('other medication', (item) => item.group === 'structured-pharmacological' && item.medication === null && item.purpose === null),
    nonOpiateMedication: where('non-opiate medication', (item) => /stimulant|GHB|gabapentinoid|benzodiazepine/.test(item.purpose ?? '')),
    psychosocial: where('psychosocial work', (item) => item.group === 'structured-psychosocial'),
    recoverySupport: where('recovery support', (item) => item.group === 'recovery-support' && !item.postStructuredOnly),
    postStructuredOnly: where('post-structured-only support', (item) => item.postStructuredOnly),
  };
}

function codeWithLabel(dataset: Dataset, listName: string, pattern: RegExp): string {
  const matches = dataset.codeList(listName).codes.filter((entry) => pattern.test(entry.label));
  return only(matches.map((entry) => entry.code), `${listName} labelled ${pattern.source}`);
}

function successfulWithLabel(dataset: Dataset, successful: string[], pattern: RegExp): string {
  const matches = successful.filter((code) => pattern.test(dataset.codeLabel('discharge-reason', code) ?? ''));
  return only(matches, `successful discharge reason labelled ${pattern.source}`);
}

// Relative frequencies of the unsuccessful endings, by label; dropping out is the usual one.
const unsuccessfulWeights: (readonly [RegExp, number])[] = [
  [/dropped out/i, 45],
  [/transferred, not in custody/i, 15],
  [/transferred, in custody/i, 5],
  [/withdrawn by provider/i, 8],
  [/retained in custody/i, 4],
  [/declined/i, 6],
  [/died/i, 2],
];

function unsuccessfulReasons(dataset: Dataset, successful: string[]): (readonly [string, number])[] {
  return dataset
    .codeList('discharge-reason')
    .codes.filter((entry) => !successful.includes(entry.code))
    .map((entry) => [entry.code, unsuccessfulWeights.find(([pattern]) => pattern.test(entry.label))?.[1] ?? 1] as const);
}

function interventionTypeOf(dataset: Dataset, group: SubInterventionDefinition['group']): string {
  const item = dataset.subInterventions.find((candidate) => candidate.group === group);
  if (!item) throw new Error(`The dataset defines no sub-intervention in the ${group} group`);
  return item.interventionType;
}

function only(codes: string[], description: string): string {
  if (codes.length !== 1) throw new Error(`Expected one ${description} code in the dataset, found ${codes.length}`);
  return codes[0] as string;
}
