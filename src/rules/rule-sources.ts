// Sources named in the rule catalogue, so that people can see where each rule comes from.

export const aidDoseQuestions =
  'NDTMS adult community interventions aid (CDS-Q): questions asked with pharmacological sub-interventions';

export const aidWithdrawal =
  'NDTMS adult community interventions aid (CDS-Q): withdrawal sub-interventions, usually up to 12 weeks in the community or 28 days as an inpatient';

export const aidPharmacological =
  'NDTMS adult community interventions aid (CDS-Q): structured pharmacological sub-interventions and their purposes';

export const aidPostStructured =
  'NDTMS adult community interventions aid (CDS-Q): recovery support and relapse-prevention prescribing after successful completion of structured treatment';

export const aidSubInterventionReview =
  'NDTMS adult community interventions aid (CDS-Q): sub-interventions recorded against interventions of their type';

export const waymarkDosePlausibility =
  'Waymark dose plausibility rule; the limits are project defaults a service may change';

export const waymarkIntegrity = 'Waymark data integrity rule';
