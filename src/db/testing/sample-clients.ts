import type { Client, SubInterventionReview } from '../../domain/model.js';
import type { PlainDate } from '../../domain/plain-date.js';

// Synthetic clients for data-layer tests. The codes are literal because they describe
// input data: 94 pharmacological, 96 recovery support, 1 community, 80 completed drug free.

const date = (text: string) => text as PlainDate;

export function review(reviewId: string, reviewDate: string, delivered: string[], extra: Partial<SubInterventionReview> = {}): SubInterventionReview {
  return {
    reviewId,
    reviewDate: date(reviewDate),
    delivered,
    methadoneDose: undefined,
    buprenorphineDose: undefined,
    ostSupervision: '99',
    relapsePreventionPrescribing: undefined,
    ...extra,
  };
}

/** Builds a client on methadone maintenance with one open episode, two interventions and three reviews. */
export function sampleClient(clientId = '0042', dateOfBirth = '1969-11-15'): Client {
  return {
    agency: 'TST01',
    clientId,
    firstInitial: 'A',
    surnameInitial: 'B',
    dateOfBirth: date(dateOfBirth),
    sex: 'F',
    consent: 'Y',
    episodes: [
      {
        episodeId: `E-${clientId}`,
        referralDate: date('2023-05-02'),
        triageDate: date('2023-05-09'),
        dischargeDate: undefined,
        dischargeReason: undefined,
        interventions: [
          {
            interventionId: `M-${clientId}-1`,
            interventionType: '94',
            setting: '1',
            referralDate: date('2023-05-09'),
            firstAppointmentOfferedDate: date('2023-05-10'),
            startDate: date('2023-05-12'),
            endDate: undefined,
            exitStatus: undefined,
          },
          {
            interventionId: `M-${clientId}-2`,
            interventionType: '96',
            setting: '1',
            referralDate: date('2023-06-01'),
            firstAppointmentOfferedDate: undefined,
            startDate: date('2023-06-05'),
            endDate: date('2023-12-01'),
            exitStatus: 'A',
          },
        ],
        reviews: [
          review(`S-${clientId}-1`, '2023-05-12', ['PHMETHSTB'], { methadoneDose: 30, ostSupervision: '1' }),
          review(`S-${clientId}-2`, '2023-06-05', ['PHMETHMNT', 'RECPEER', 'RECHSE'], { methadoneDose: 62.5, ostSupervision: '1' }),
          review(`S-${clientId}-3`, '2023-11-20', ['PHMETHMNT'], { methadoneDose: 12.5, ostSupervision: '2' }),
        ],
      },
    ],
  };
}

/** Builds a client who has not consented, known only by agency, reference and consent. */
export function clientWithoutConsent(clientId = '0099'): Client {
  return {
    agency: 'TST01',
    clientId,
    firstInitial: undefined,
    surnameInitial: undefined,
    dateOfBirth: undefined,
    sex: undefined,
    consent: 'N',
    episodes: [],
  };
}

/** Copies a client deeply, so a test can change one writer's client without touching another's. */
export function copyOf(client: Client): Client {
  return structuredClone(client);
}
