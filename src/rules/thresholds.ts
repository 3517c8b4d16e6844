import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Limits that rules compare against. The defaults are project choices a service may change. */
export const thresholdsSchema = z
  .object({
    /** A7: a daily oral methadone dose above this many ml is a warning. */
    methadoneDoseWarningMl: z.number().positive().default(150),
    /** A7: a daily oral buprenorphine dose above this many mg is a warning (usual licensed maximum for sublingual tablets). */
    buprenorphineDoseWarningMg: z.number().positive().default(24),
    /** A8: a daily oral methadone dose above this many ml is implausible, so an error. */
    methadoneDoseMaximumMl: z.number().positive().default(500),
    /** A8: a daily oral buprenorphine dose above this many mg is implausible, so an error. */
    buprenorphineDoseMaximumMg: z.number().positive().default(64),
    /** A9: days a withdrawal sub-intervention may run in a community setting. */
    withdrawalCommunityDays: z.number().int().positive().default(84),
    /** A9: days a withdrawal sub-intervention may run in an inpatient unit. */
    withdrawalInpatientDays: z.number().int().positive().default(28),
    /** D9: youngest age at triage expected in the adult dataset. */
    minimumAgeAtTriage: z.number().int().nonnegative().default(18),
    /** D9: oldest plausible age at triage. */
    maximumAgeAtTriage: z.number().int().positive().default(100),
  })
  .strict();

export type RuleThresholds = z.infer<typeof thresholdsSchema>;

export const defaultThresholds: RuleThresholds = thresholdsSchema.parse({});

/** Reads thresholds from a JSON file; keys left out keep their defaults. */
export async function loadThresholds(path: string): Promise<RuleThresholds> {
  const text = await readFile(path, 'utf8');
  const result = thresholdsSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`Thresholds in ${path} are invalid: ${problems.join('; ')}`);
  }
  return result.data;
}
