/** Either the instant in epoch seconds, or why the text is not a timestamp. */
export type TimestampResult =
  { readonly ok: true; readonly epochSeconds: number } | { readonly ok: false; readonly reason: string };

// NAB's `YYYY-MM-DD HH:MM:SS` and ISO-8601 share one shape: date, `T` or space, time with
// optional seconds and fraction, optional `Z` / `±HH:MM` / `±HHMM` / `±HH`.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:\s*([Zz]|[+-]\d{2}(?::?\d{2})?))?)?$/;
const EPOCH_SECONDS = /^\d+$/;

const SECONDS_PER_DAY = 86_400;
const THIRTY_DAY_MONTHS = new Set([4, 6, 9, 11]);

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return THIRTY_DAY_MONTHS.has(month) ? 30 : 31;
}

/**
 * Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
 * Used instead of Date.UTC, which silently maps years 0–99 to 1900–1999 and rolls over bad days.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Offset east of UTC in seconds, for `Z`, `+05:30`, `-0800` or `+01`. */
function offsetSeconds(text: string | undefined): number | undefined {
  if (text === undefined || text === 'Z' || text === 'z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 3600 + minutes * 60);
}

/**
 * Parse a timestamp as UTC epoch seconds (fractional seconds kept). Accepts
 * `YYYY-MM-DD HH:MM:SS`, ISO-8601 with `T`, optional fraction and offset (none means UTC),
 * a bare date (midnight UTC) and all-digit epoch seconds. Impossible dates are rejected
 * rather than rolled over, so `2014-02-30` is an error and not March 2nd.
 */
export function parseTimestamp(text: string): TimestampResult {
  const trimmed = text.trim();
  if (EPOCH_SECONDS.test(trimmed)) {
    const epochSeconds = Number(trimmed);
    return Number.isSafeInteger(epochSeconds)
      ? { ok: true, epochSeconds }
      : { ok: false, reason: 'epoch seconds out of range' };
  }
  const match = DATE_TIME.exec(trimmed);
  if (match === null) {
    return { ok: false, reason: 'expected YYYY-MM-DD HH:MM:SS, ISO-8601 or epoch seconds' };
  }
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zone] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText ?? 0);
  const minute = Number(minuteText ?? 0);
  const second = Number(secondText ?? 0);
  if (month < 1 || month > 12) return { ok: false, reason: `no month ${month}` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: `no day ${day} in ${yearText}-${monthText}` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return {
      ok: false,
      reason: `no time ${hourText}:${minuteText}${secondText === undefined ? '' : `:${secondText}`}`,
    };
  }
  const offset = offsetSeconds(zone);
  if (offset === undefined) return { ok: false, reason: `no UTC offset ${zone}` };
  const fractionSeconds = fraction === undefined ? 0 : Number(`0.${fraction}`);
  const epochSeconds =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second + fractionSeconds - offset;
  return { ok: true, epochSeconds };
}
