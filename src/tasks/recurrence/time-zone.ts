import { Temporal } from 'temporal-polyfill';

/** An IANA zone name (`Europe/Berlin`, `UTC`), not an offset such as `+02:00`. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/** The zone's canonical spelling (`europe/berlin` → `Europe/Berlin`), or undefined if it is not an IANA zone this runtime knows. */
export function canonicalTimeZone(value: string): string | undefined {
  if (!ZONE_NAME.test(value)) return undefined;
  try {
    return new Temporal.ZonedDateTime(0n, value).timeZoneId;
  } catch {
    return undefined;
  }
}
