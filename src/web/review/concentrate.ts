/**
 * Methadone concentrate conversion. METHDOSE is recorded in ml of the standard 1 mg/1 ml
 * oral solution, so a concentrate dose is recorded as its milligrams: 6 ml of 10 mg/ml is
 * 60 mg, recorded as 60 ml.
 */
export interface ConcentrateDose {
  volumeMl: number;
  strengthMgPerMl: number;
  /** The dose as ml of 1 mg/1 ml solution, rounded to one decimal place as METHDOSE allows. */
  equivalentMl: number;
}

const numberPattern = /^\d{1,4}(\.\d{1,2})?$/;

/** Converts a volume and strength to the 1 mg/1 ml equivalent, or returns the problem with the input. */
export function convertConcentrate(volumeText: string, strengthText: string): { ok: true; dose: ConcentrateDose } | { ok: false; field: 'volume' | 'strength'; message: string } {
  if (!numberPattern.test(volumeText) || Number(volumeText) <= 0) {
    return { ok: false, field: 'volume', message: `Concentrate volume is ${volumeText || 'empty'}. Enter the daily volume in ml as a number greater than zero, for example 6.` };
  }
  if (!numberPattern.test(strengthText) || Number(strengthText) <= 0) {
    return { ok: false, field: 'strength', message: `Concentrate strength is ${strengthText || 'empty'}. Enter the strength in mg per ml as a number greater than zero, for example 10.` };
  }
  const volumeMl = Number(volumeText);
  const strengthMgPerMl = Number(strengthText);
  const equivalentMl = Math.round(volumeMl * strengthMgPerMl * 10) / 10;
  return { ok: true, dose: { volumeMl, strengthMgPerMl, equivalentMl } };
}

/** Describes the conversion in words, showing both the volume given and the dose recorded. */
export function describeConcentrate(dose: ConcentrateDose): string {
  return `${dose.volumeMl} ml of ${dose.strengthMgPerMl} mg/ml concentrate is ${dose.equivalentMl} mg, recorded as ${dose.equivalentMl} ml of 1 mg/1 ml solution`;
}
