import { cdsQ } from './cds-q/index.js';
import { Dataset } from './dataset.js';

export { Dataset, isSubInterventionField } from './dataset.js';
export type * from './definition.js';

/** The dataset this product implements. A later dataset is added beside it as another definition. */
export const cdsQDataset = new Dataset(cdsQ);
