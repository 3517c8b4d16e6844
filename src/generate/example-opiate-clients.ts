import type { ClientSpec } from './example-records.js';
import { choices } from './example-records.js';
import { buprenorphine, each, medication, methadone, pharmacological, psychosocial, psychosocialWork, recovery, recoverySupport, unsuccessful } from './example-items.js';

// Hand-written opiate clients for the reporting period 2024-03: oral methadone, mono and
// combined buprenorphine, depot and injected opioids, open and discharged episodes.

const { items, setting, exit, discharge, relapsePrevention: prescribing, sex } = choices;

export const exampleOpiateClients: ClientSpec[] = [
  { clientId: '00004711', initials: 'JM', dateOfBirth: '1979-02-14', sex: sex.male, episodes: [{
    referral: '2021-05-10', triage: '2021-05-14',
    interventions: [pharmacological('2021-05-14', '2021-05-17'), psychosocialWork('2023-06-01', '2023-06-15', '2023-11-30', exit.planned), recoverySupport('2023-08-01', '2023-08-10')],
    reviews: [
      methadone('2021-05-17', items.methadone.stabilisation, 30, true),
      methadone('2021-07-12', items.methadone.maintenance, 60, true),
      methadone('2022-01-10', items.methadone.maintenance, 70, false),
      methadone('2022-07-11', items.methadone.maintenance, 75, false),
      methadone('2023-01-09', items.methadone.maintenance, 80, false),
      methadone('2023-07-10', items.methadone.maintenance, 80, false),
      methadone('2024-01-08', items.methadone.maintenance, 77.5, false),
      ...each(['2023-06-15', '2023-09-14', '2023-11-30'], [psychosocial.motivational, psychosocial.contingency]),
      { date: '2023-08-10', items: [recovery.peer, recovery.housing] },
      { date: '2024-02-08', items: [recovery.peer, recovery.housing, recovery.smoking] },
    ],
  }] },
  { clientId: '1002', initials: 'SP', dateOfBirth: '1988-11-03', sex: sex.female, episodes: [{
    referral: '2022-09-01', triage: '2022-09-05', discharge: '2023-12-15', reason: discharge.drugFree,
    interventions: [pharmacological('2022-09-05', '2022-09-07', '2023-12-15', exit.planned), psychosocialWork('2022-09-20', '2022-10-04', '2023-04-04', exit.planned), recoverySupport('2023-03-01', '2023-03-15', '2023-12-15', exit.planned)],
    reviews: [
      buprenorphine('2022-09-07', items.buprenorphine.stabilisation, 8, true),
      buprenorphine('2022-11-07', items.buprenorphine.maintenance, 16, true),
      buprenorphine('2023-05-09', items.buprenorphine.maintenance, 14, false),
      buprenorphine('2023-10-02', items.buprenorphine.withdrawal, 8, false),
      buprenorphine('2023-12-15', items.buprenorphine.withdrawal, 2, false),
      ...each(['2022-10-04', '2023-01-10', '2023-04-04'], [psychosocial.cognitive, psychosocial.family]),
      { date: '2023-03-15', items: [recovery.mutualAid, recovery.employment] },
      { date: '2023-09-12', items: [recovery.mutualAid, recovery.employment, recovery.education] },
      { date: '2023-12-15', items: [recovery.mutualAid] },
      { date: '2024-01-12', items: [recovery.checkUps, recovery.relapsePrevention], relapsePrevention: prescribing.drug },
      { date: '2024-03-08', items: [recovery.checkUps, recovery.mentalHealth, recovery.peer], relapsePrevention: prescribing.none },
    ],
  }] },
  { clientId: '00000815', initials: 'AK', dateOfBirth: '1992-07-21', sex: sex.male, episodes: [{
    referral: '2023-04-20', triage: '2023-04-24', discharge: '2024-02-29', reason: unsuccessful.transferred,
    interventions: [pharmacological('2023-04-24', '2023-04-26', '2024-02-29', exit.planned, setting.primaryCare), psychosocialWork('2023-05-02', '2023-05-16', '2024-01-31', exit.unplanned)],
    reviews: [
      buprenorphine('2023-04-26', items.buprenorphineNaloxone.stabilisation, 6, true),
      buprenorphine('2023-06-05', items.buprenorphineNaloxone.maintenance, 12, true),
      buprenorphine('2023-10-02', items.buprenorphineNaloxone.maintenance, 12, false),
      buprenorphine('2024-01-08', items.buprenorphineNaloxone.withdrawal, 10, false),
      buprenorphine('2024-02-29', items.buprenorphineNaloxone.withdrawal, 4, false),
      { date: '2023-05-16', items: [psychosocial.mentalHealth] },
      ...each(['2023-10-17', '2024-01-31'], [psychosocial.mentalHealth, psychosocial.twelveStep]),
    ],
  }] },
  { clientId: '1004', initials: 'RT', dateOfBirth: '1975-04-30', sex: sex.male, episodes: [{
    referral: '2022-02-01', triage: '2022-02-03', discharge: '2023-11-30', reason: discharge.drugFree,
    interventions: [pharmacological('2022-02-03', '2022-02-10', '2023-11-30', exit.planned), recoverySupport('2023-05-01', '2023-05-10', '2023-11-30', exit.planned)],
    reviews: [
      ...each(['2022-02-10', '2022-08-09', '2023-02-07', '2023-08-08'], [items.depot.maintenance]),
      { date: '2023-09-12', items: [items.depot.withdrawal] },
      { date: '2023-11-14', items: [items.depot.withdrawal, items.otherMedication] },
      { date: '2023-11-30', items: [items.opioidRelapsePrevention] },
      { date: '2023-05-10', items: [recovery.family, recovery.parenting] },
      { date: '2023-11-30', items: [recovery.family, recovery.workProjects] },
    ],
  }] },
  { clientId: '00000042', initials: 'LD', dateOfBirth: '1968-09-09', sex: sex.male, episodes: [{
    referral: '2019-10-01', triage: '2019-10-03',
    interventions: [pharmacological('2019-10-03', '2019-10-21'), recoverySupport('2023-09-01', '2023-09-05')],
    reviews: [
      ...each(['2019-10-21', '2020-04-20', '2020-10-19', '2021-04-19', '2021-10-18', '2022-04-19', '2022-10-17', '2023-04-17'], [medication.diamorphineInjection]),
      ...each(['2023-07-03', '2024-01-02'], [medication.methadoneInjection]),
      { date: '2023-09-05', items: [recovery.complementary, recovery.victim] },
    ],
  }] },
  { clientId: '1014', initials: 'NW', dateOfBirth: '1983-12-01', sex: sex.female, episodes: [
    {
      referral: '2023-03-01', triage: '2023-03-06', discharge: '2023-06-30', reason: unsuccessful.droppedOut,
      interventions: [pharmacological('2023-03-06', '2023-03-08', '2023-06-30', exit.unplanned)],
      reviews: [
        methadone('2023-03-08', items.methadone.stabilisation, 30, true),
        methadone('2023-04-19', items.methadone.maintenance, 50, true),
        methadone('2023-06-30', items.methadone.maintenance, 55, false),
      ],
    },
    {
      referral: '2023-09-01', triage: '2023-09-04', discharge: '2024-01-31', reason: discharge.drugFree,
      interventions: [
        pharmacological('2023-09-04', '2023-09-06', '2023-11-30', exit.planned),
        pharmacological('2023-11-20', '2023-12-04', '2023-12-22', exit.planned, setting.inpatient),
        psychosocialWork('2023-09-04', '2023-09-19', '2024-01-31', exit.planned),
      ],
      reviews: [
        methadone('2023-09-06', items.methadone.stabilisation, 40, true),
        methadone('2023-10-18', items.methadone.maintenance, 60, true),
        methadone('2023-11-30', items.methadone.maintenance, 60, true),
        methadone('2023-12-04', items.methadone.withdrawal, 50, true),
        methadone('2023-12-22', items.methadone.withdrawal, 20, true),
        ...each(['2023-09-19', '2024-01-31'], [psychosocial.twelveStep]),
        { date: '2024-03-01', items: [recovery.checkUps], relapsePrevention: prescribing.both },
      ],
    },
  ] },
];
