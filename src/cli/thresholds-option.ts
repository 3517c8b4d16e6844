import { defaultThresholds, loadThresholds, type RuleThresholds } from '../rules/thresholds.js';
import { describeFileError, inputError } from './cli-error.js';
import { oneLine } from './format/table.js';

/** Reads the `--thresholds` file, or returns the defaults when none is given. Any failure is one input error. */
export async function thresholdsFromOption(path: string | undefined): Promise<RuleThresholds> {
  if (path === undefined) return defaultThresholds;
  try {
    return await loadThresholds(path);
  } catch (error) {
    const fileProblem = describeFileError(error);
    if (fileProblem) throw inputError(`cannot read thresholds file ${path}: ${fileProblem}.`);
    if (error instanceof SyntaxError) {
      throw inputError(`thresholds file ${path} is not valid JSON (${error.message}). Write an object such as {"methadoneDoseWarningMl": 120}.`);
    }
    if (error instanceof Error) throw inputError(oneLine(error.message));
    throw error;
  }
}

