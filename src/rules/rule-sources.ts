// Sources named in the rule catalogue, so that people can see where each rule comes from.

export const aidDoseQuestions =
  'NDTMS adult community interventions aid (CDS-Q): questions asked with pharmacological sub-interventions';

export const aidWithdrawal =
  'NDTMS adult community interventions aid (CDS-Q): opioid withdrawal usually lasts up to 12 weeks in the community or 28 days as an inpatient. Waymark applies the same limits to every withdrawal item';

export const aidPharmacological =
  'NDTMS adult community interventions aid (CDS-Q): structured pharmacological sub-interventions and their purposes';

export const aidPostStructured =
  'NDTMS adult community interventions aid (CDS-Q): recovery support and relapse-prevention prescribing after successful completion of structured treatment';

export const aidSubInterventionReview =
  'NDTMS adult community interventions aid (CDS-Q): sub-interventions grouped by intervention type (pharmacological, psychosocial, recovery support)';

export const aidReviewContent =
  'NDTMS adult community interventions aid (CDS-Q): a SIR records the sub-interventions delivered on its date';

export const waymarkDosePlausibility =
  'Waymark dose plausibility rule. The limits are project defaults that a service may change';

export const waymarkIntegrity = 'Waymark data integrity rule';
