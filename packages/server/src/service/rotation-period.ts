import { checkInteger } from './validate.js';

/** AWS KMS allows 90–2560 days; Custos also allows shorter periods, down to one day. */
export const MIN_ROTATION_DAYS = 1;
export const MAX_ROTATION_DAYS = 2560;

export function checkRotationPeriod(days: number): void {
  checkInteger('rotationPeriodDays', days, MIN_ROTATION_DAYS, MAX_ROTATION_DAYS);
}
