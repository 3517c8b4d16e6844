import type { ClientSpec } from './example-records.js';
import { choices } from './example-records.js';
import { each, medication, pharmacological, psychosocial, psychosocialWork, recovery, recoverySupport, unsuccessful } from './example-items.js';

// Hand-written alcohol and non-opiate clients for the reporting period 2024-03: community
// and inpatient detox, relapse-prevention medication, stimulant, GHB, gabapentinoid and
// benzodiazepine prescribing, a client still waiting for psychosocial work.

const { items, setting, exit, discharge, relapsePrevention: prescribing, sex } = choices;

export const exampleAlcoholClients: ClientSpec[] = [
  { clientId: '1006', initials: 'HB', dateOfBirth: '1964-03-18', sex: sex.male, episodes: [{
    referral: '2023-05-02', triage: '2023-05-09', discharge: '2023-12-20', reason: discharge.alcoholFree,
    interventions: [pharmacological('2023-05-09', '2023-05-22', '2023-12-20', exit.planned), psychosocialWork('2023-05-09', '2023-05-23', '2023-11-28', exit.planned), recoverySupport('2023-06-01', '2023-06-06', '2023-12-20', exit.planned)],
    reviews: [
      ...each(['2023-05-22', '2023-06-02'], [items.alcoholWithdrawal.chlordiazepoxide, items.vitamins]),
      { date: '2023-06-05', items: [medication.acamprosate, items.vitamins] },
      ...each(['2023-09-05', '2023-12-20'], [medication.acamprosate]),
      ...each(['2023-05-23', '2023-08-22', '2023-11-28'], [psychosocial.counselling]),
      ...each(['2023-06-06', '2023-12-20'], [recovery.mutualAid, recovery.peer]),
      { date: '2024-02-14', items: [recovery.checkUps, recovery.peer], relapsePrevention: prescribing.alcohol },
    ],
  }] },
  { clientId: '00001007', initials: 'CE', dateOfBirth: '1971-06-25', sex: sex.female, episodes: [{
    referral: '2023-08-14', triage: '2023-08-16',
    interventions: [
      { ...pharmacological('2023-08-16', '2023-09-04', '2023-09-14', exit.planned, setting.inpatient), firstOffered: '2023-08-30' },
      pharmacological('2023-09-14', '2023-09-18'),
      psychosocialWork('2023-09-18', '2023-10-02'),
    ],
    reviews: [
      ...each(['2023-09-04', '2023-09-14'], [medication.diazepam, items.vitamins]),
      ...each(['2023-09-18', '2024-01-15'], [medication.disulfiram]),
      ...each(['2023-10-02', '2024-01-22'], [psychosocial.psychodynamic]),
    ],
  }] },
  { clientId: '00031337', initials: 'OG', dateOfBirth: '1958-01-11', sex: sex.male, episodes: [{
    referral: '2023-10-02', triage: '2023-10-04', discharge: '2024-03-15', reason: unsuccessful.droppedOut,
    interventions: [pharmacological('2023-10-04', '2023-10-09', '2024-03-15', exit.unplanned), recoverySupport('2023-10-20', '2023-11-01', '2024-03-15', exit.unplanned)],
    reviews: [
      ...each(['2023-10-09', '2023-10-23'], [medication.carbamazepine]),
      ...each(['2023-11-06', '2024-02-05', '2024-03-15'], [medication.naltrexoneAlcohol]),
      ...each(['2023-11-01', '2024-03-15'], [recovery.housing, recovery.perpetrator]),
    ],
  }] },
  { clientId: '1009', initials: 'YZ', dateOfBirth: '1990-10-05', sex: sex.others[0] ?? sex.female, episodes: [{
    referral: '2024-02-12', triage: '2024-02-19',
    // Referred for psychosocial work near the end of the period and not yet offered an appointment.
    interventions: [pharmacological('2024-02-19', '2024-02-26'), { type: choices.interventionType.psychosocial, setting: setting.community, referral: '2024-03-20' }],
    reviews: [{ date: '2024-02-26', items: [medication.otherAlcohol, items.vitamins] }],
  }] },
];

export const exampleNonOpiateClients: ClientSpec[] = [
  { clientId: '1010', initials: 'TF', dateOfBirth: '1996-08-14', sex: sex.male, episodes: [{
    referral: '2023-06-12', triage: '2023-06-14', discharge: '2023-12-01', reason: discharge.occasionalUser,
    interventions: [pharmacological('2023-06-14', '2023-06-21', '2023-08-30', exit.planned), psychosocialWork('2023-06-14', '2023-06-28', '2023-12-01', exit.planned)],
    reviews: [
      ...each(['2023-06-21', '2023-08-30'], [medication.stimulant]),
      ...each(['2023-06-28', '2023-09-27', '2023-12-01'], [psychosocial.contingency, psychosocial.motivational]),
      { date: '2024-01-26', items: [recovery.relapsePrevention, recovery.education] },
    ],
  }] },
  { clientId: '00000007', initials: 'IQ', dateOfBirth: '1999-02-27', sex: sex.female, episodes: [{
    referral: '2023-11-06', triage: '2023-11-06',
    interventions: [pharmacological('2023-11-06', '2023-11-08', '2023-11-22', exit.planned), psychosocialWork('2023-11-06', '2023-11-20')],
    reviews: [...each(['2023-11-08', '2023-11-22'], [medication.benzodiazepineGhb]), ...each(['2023-11-20', '2024-02-19'], [psychosocial.cognitive])],
  }] },
  { clientId: '1012', initials: 'GV', dateOfBirth: '1985-05-19', sex: sex.male, episodes: [{
    referral: '2023-04-03', triage: '2023-04-05', discharge: '2023-10-31', reason: unsuccessful.withdrawnByProvider,
    interventions: [pharmacological('2023-04-05', '2023-04-12', '2023-10-31', exit.withdrawnByProvider)],
    reviews: [
      ...each(['2023-04-12', '2023-06-21'], [medication.pregabalin]),
      ...each(['2023-07-05', '2023-09-13'], [medication.gabapentin]),
      { date: '2023-10-31', items: [items.otherMedication] },
    ],
  }] },
  { clientId: '00000999', initials: 'PU', dateOfBirth: '1981-09-30', sex: sex.female, episodes: [{
    referral: '2022-06-01', triage: '2022-06-06',
    interventions: [pharmacological('2022-06-06', '2022-06-13')],
    reviews: [
      ...each(['2022-06-13', '2022-12-12', '2023-06-12'], [medication.benzodiazepineMaintenance]),
      { date: '2023-12-11', items: [medication.benzodiazepineStimulant] },
      { date: '2024-03-04', items: [medication.benzodiazepineMaintenance] },
    ],
  }] },
];
