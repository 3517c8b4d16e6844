import type { Client, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';

/**
 * Nine synthetic clients for the report and month-end tests, built so that the figures
 * for March 2024 and the months around it can be worked out by hand. The codes are
 * literal because they describe input data: MODAL 94 pharmacological, 95 psychosocial,
 * 96 recovery support; OSTSUP 1 supervised, 2 unsupervised, 99 not applicable.
 *
 * Several dates test period edges. 29 February 2024 is the last day of a leap-year
 * February. 31 March 2024 is the last day of its month, the day the clocks go forward,
 * and the last day of the financial year, and 1 April 2024 is the first day of the next
 * one. The clocks went back on 29 October 2023.
 */

function day(text: string): PlainDate {
  return text as PlainDate;
}

interface EpisodeDates {
  referral: string;
  triage: string;
  discharge?: string;
  reason?: string;
}

function episode(id: string, dates: EpisodeDates, interventions: Intervention[], reviews: SubInterventionReview[]): Episode {
  return {
    episodeId: id,
    referralDate: day(dates.referral),
    triageDate: day(dates.triage),
    dischargeDate: dates.discharge === undefined ? undefined : day(dates.discharge),
    dischargeReason: dates.reason,
    interventions,
    reviews,
  };
}

function intervention(id: string, type: string, referral: string | undefined, start?: string, end?: string, exit?: string): Intervention {
  return {
    interventionId: id,
    interventionType: type,
    setting: '1',
    referralDate: referral === undefined ? undefined : day(referral),
    firstAppointmentOfferedDate: undefined,
    startDate: start === undefined ? undefined : day(start),
    endDate: end === undefined ? undefined : day(end),
    exitStatus: exit,
  };
}

interface Answers {
  methadone?: number;
  buprenorphine?: number;
  supervision?: string;
}

function review(id: string, date: string, delivered: string[], answers: Answers = {}): SubInterventionReview {
  return {
    reviewId: id,
    reviewDate: day(date),
    delivered,
    methadoneDose: answers.methadone,
    buprenorphineDose: answers.buprenorphine,
    ostSupervision: answers.supervision,
    relapsePreventionPrescribing: undefined,
  };
}

function client(clientId: string, episodes: Episode[], consent = 'Y'): Client {
  return {
    agency: 'ZZ001',
    clientId,
    firstInitial: 'A',
    surnameInitial: 'B',
    dateOfBirth: day('1980-06-15'),
    sex: 'Z',
    consent,
    episodes,
  };
}

export function reportFixture(): Client[] {
  return [
    // C1: oral methadone since November, recovery support since January.
    client('C1', [
      episode('E1', { referral: '2023-11-01', triage: '2023-11-10' }, [
        intervention('I1-PH', '94', '2023-11-10', '2023-11-20'),
        intervention('I1-RS', '96', '2024-01-02', '2024-01-05'),
      ], [
        review('S1-1', '2023-11-20', ['PHMETHSTB'], { methadone: 40, supervision: '1' }),
        review('S1-2', '2024-02-15', ['PHMETHMNT'], { methadone: 65, supervision: '1' }),
        review('S1-3', '2024-03-31', ['PHMETHMNT', 'RECPEER'], { methadone: 70, supervision: '2' }),
      ]),
    ]),
    // C2: buprenorphine from January, then buprenorphine with naloxone; psychosocial from 4 March.
    client('C2', [
      episode('E2', { referral: '2024-01-02', triage: '2024-01-08' }, [
        intervention('I2-PH', '94', '2024-01-08', '2024-01-15'),
        intervention('I2-PS', '95', '2024-02-20', '2024-03-04'),
      ], [
        review('S2-1', '2024-01-15', ['PHBUPSTB'], { buprenorphine: 8, supervision: '1' }),
        review('S2-2', '2024-03-10', ['PHBNXMNT', 'PSYMOTI'], { buprenorphine: 16, supervision: '1' }),
        review('S2-3', '2024-03-25', ['PHBNXMNT', 'PSYMOTI'], { buprenorphine: 16, supervision: '1' }),
      ]),
    ]),
    // C3: methadone withdrawal ended 28 February, discharged drug free on 15 March, recovery check-up after.
    client('C3', [
      episode('E3', { referral: '2023-05-20', triage: '2023-06-01', discharge: '2024-03-15', reason: '80' }, [
        intervention('I3-PH', '94', '2023-06-01', '2023-06-10', '2024-02-28', 'A'),
        intervention('I3-PS', '95', '2023-06-01', '2023-07-01', '2024-03-15', 'A'),
      ], [
        review('S3-1', '2024-02-01', ['PHMETHWTH', 'PSYCGBH'], { methadone: 20, supervision: '1' }),
        review('S3-2', '2024-03-14', ['PSYCGBH'], { supervision: '99' }),
        review('S3-3', '2024-03-31', ['RECCHKP']),
      ]),
    ]),
    // C4: triaged 28 March, still waiting for a psychosocial intervention.
    client('C4', [
      episode('E4', { referral: '2024-03-20', triage: '2024-03-28' }, [intervention('I4-PS', '95', '2024-03-28')], []),
    ]),
    // C5: triaged 1 April 2023, on methadone, transferred out on 1 April 2024.
    client('C5', [
      episode('E5', { referral: '2023-03-25', triage: '2023-04-01', discharge: '2024-04-01', reason: '83' }, [
        intervention('I5-PH', '94', '2023-04-01', '2023-04-03', '2024-04-01', 'A'),
        intervention('I5-RS', '96', '2023-04-01', '2023-04-01', '2024-04-01', 'A'),
      ], [
        review('S5-1', '2024-01-10', ['PHMETHMNT', 'RECMAID'], { methadone: 90, supervision: '1' }),
        review('S5-2', '2024-03-01', ['PHMETHMNT', 'RECMAID'], { methadone: 95, supervision: '1' }),
        review('S5-3', '2024-04-01', ['PHMETHMNT'], { methadone: 100, supervision: '1' }),
      ]),
    ]),
    // C6: depot buprenorphine, which has no oral marker; a recovery intervention with no referral date.
    client('C6', [
      episode('E6', { referral: '2023-08-20', triage: '2023-09-01' }, [
        intervention('I6-PH', '94', '2023-09-01', '2023-09-05'),
        intervention('I6-RS', '96', undefined, '2024-03-18'),
      ], [
        review('S6-1', '2023-09-05', ['PHBUDIMNT']),
        review('S6-2', '2024-03-20', ['PHBUDIMNT']),
      ]),
    ]),
    // C7: dropped out on 29 February, peer support after discharge on 12 March.
    client('C7', [
      episode('E7', { referral: '2023-09-25', triage: '2023-10-02', discharge: '2024-02-29', reason: '85' }, [
        intervention('I7-PS', '95', '2023-10-02', '2023-10-10', '2024-02-29', 'B'),
      ], [
        review('S7-1', '2024-02-29', ['PSYMOTI']),
        review('S7-2', '2024-03-12', ['RECPEER']),
      ]),
    ]),
    // C8: triaged 29 October 2023; buprenorphine and employment support started in March.
    client('C8', [
      episode('E8', { referral: '2023-10-20', triage: '2023-10-29' }, [
        intervention('I8-PS', '95', '2023-10-29', '2023-10-30', '2024-01-31', 'A'),
        intervention('I8-PH', '94', '2024-02-01', '2024-03-31'),
        intervention('I8-RS', '96', '2024-03-01', '2024-03-22'),
      ], [
        review('S8-1', '2023-10-30', ['PSYMOTI']),
        // OSTSUP left empty, to show how a missing value is counted.
        review('S8-2', '2024-03-31', ['PHBUPMNT', 'RECEMP'], { buprenorphine: 4 }),
      ]),
    ]),
    // C9: did not consent, so nothing about the treatment is held.
    client('C9', [], 'N'),
  ];
}
