import type { CodeList } from '../definition.js';

/** CDS-Q code lists. Codes marked provisional follow published naming patterns and await the official reference data. */
export const cdsQCodeLists: CodeList[] = [
  {
    name: 'sex',
    description: 'Sex of the client.',
    provisional: true,
    codes: [
      { code: 'M', label: 'Male', provisional: true },
      { code: 'F', label: 'Female', provisional: true },
      { code: 'I', label: 'Indeterminate', provisional: true },
      { code: 'Z', label: 'Not stated', provisional: true },
    ],
  },
  {
    name: 'consent',
    description: 'Whether the client consents to their information being sent to NDTMS.',
    provisional: false,
    codes: [
      { code: 'Y', label: 'Consents', provisional: false },
      { code: 'N', label: 'Does not consent', provisional: false },
    ],
  },
  {
    name: 'discharge-reason',
    description: 'Why the episode of structured treatment ended. Codes 80 to 82 are successful completions.',
    provisional: true,
    codes: [
      { code: '80', label: 'Treatment completed, drug free', provisional: true },
      { code: '81', label: 'Treatment completed, alcohol free', provisional: true },
      { code: '82', label: 'Treatment completed, occasional user (not opiates or crack)', provisional: true },
      { code: '83', label: 'Transferred, not in custody', provisional: true },
      { code: '84', label: 'Transferred, in custody', provisional: true },
      { code: '85', label: 'Incomplete, dropped out', provisional: true },
      { code: '86', label: 'Incomplete, treatment withdrawn by provider', provisional: true },
      { code: '87', label: 'Incomplete, retained in custody', provisional: true },
      { code: '88', label: 'Incomplete, treatment commencement declined', provisional: true },
      { code: '89', label: 'Died', provisional: true },
    ],
  },
  {
    name: 'intervention-type',
    description: 'The kind of intervention (MODAL).',
    provisional: false,
    codes: [
      { code: '94', label: 'Pharmacological', provisional: false },
      { code: '95', label: 'Psychosocial', provisional: false },
      { code: '96', label: 'Recovery support', provisional: false },
    ],
  },
  {
    name: 'setting',
    description: 'Where the intervention is delivered.',
    provisional: true,
    codes: [
      { code: '1', label: 'Community', provisional: true },
      { code: '2', label: 'Inpatient unit', provisional: true },
      { code: '3', label: 'Residential', provisional: true },
      { code: '4', label: 'Recovery house', provisional: true },
      { code: '5', label: 'Primary care', provisional: true },
    ],
  },
  {
    name: 'exit-status',
    description: 'How the intervention ended.',
    provisional: false,
    codes: [
      { code: 'A', label: 'Mutually agreed planned exit', provisional: false },
      { code: 'B', label: "Client's unilateral unplanned exit", provisional: false },
      { code: 'C', label: 'Intervention withdrawn by provider', provisional: false },
    ],
  },
  {
    name: 'ost-supervision',
    description: 'Whether the client takes their opioid substitution medication under supervision at every or most dispenses.',
    provisional: true,
    codes: [
      { code: '1', label: 'Supervised', provisional: true },
      { code: '2', label: 'Unsupervised', provisional: true },
      { code: '99', label: 'Not applicable: not prescribed OST', provisional: false },
    ],
  },
  {
    name: 'relapse-prevention-prescribing',
    description: 'Prescribing for relapse prevention after structured treatment has ended.',
    provisional: true,
    codes: [
      { code: '1', label: 'Drug relapse prevention', provisional: true },
      { code: '2', label: 'Alcohol relapse prevention', provisional: true },
      { code: '3', label: 'Both drug and alcohol relapse prevention', provisional: true },
      { code: '4', label: 'None', provisional: true },
    ],
  },
];
