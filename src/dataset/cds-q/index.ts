import type { DatasetDefinition } from '../definition.js';
import { cdsQCodeLists } from './code-lists.js';
import { cdsQFields } from './fields.js';
import { cdsQSubInterventions } from './sub-interventions.js';

/** The NDTMS core dataset Q, limited to what the adult community interventions aid covers. */
export const cdsQ: DatasetDefinition = {
  name: 'CDS-Q',
  title: 'NDTMS core dataset Q: adult community interventions',
  fields: cdsQFields,
  codeLists: cdsQCodeLists,
  subInterventions: cdsQSubInterventions,
  file: {
    fileName: (agency, period) => `${agency}_${period.replace('-', '')}_CDSQ.csv`,
    noConsentFields: ['AGNCY', 'CLIENTID', 'CONSENT'],
    successfulDischargeReasons: ['80', '81', '82'],
    // NOTE: the aid gives withdrawal limits for community and inpatient settings only, so
    // residential settings are held to the community limit until official guidance gives one.
    inpatientSettings: ['2'],
    noConsentCode: 'N',
    deliveredCode: 'Y',
    notDeliveredCode: 'N',
    ostNotApplicableCode: '99',
    relapsePreventionGivenCodes: ['1', '2', '3'],
  },
};
