import { z } from 'zod';

/**
 * Named time intervals (Alertmanager top-level `time_intervals`, 0.24+) that routes use to mute
 * notifications outside (or inside) some hours: `muteTimeIntervals: ['nights']`,
 * `activeTimeIntervals: ['business-hours']`.
 */

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `a` or `a:b` where each side passes `one`, and the range is not reversed when `order` says so. */
function rangeSchema(what: string, example: string, one: (s: string) => number | undefined, ordered = true) {
  return z.string().superRefine((s, ctx) => {
    const parts = s.toLowerCase().split(':');
    const values = parts.map(one);
    if (parts.length > 2 || values.some((v) => v === undefined)) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a ${what}: write e.g. "${example}"` });
    } else if (ordered && values.length === 2 && (values[0] as number) > (values[1] as number)) {
      ctx.addIssue({ code: 'custom', message: `"${s}": the range ends before it starts` });
    }
  });
}

const weekday = rangeSchema('weekday or weekday range', 'monday:friday', (s) => (WEEKDAYS.includes(s) ? WEEKDAYS.indexOf(s) : undefined));
const month = rangeSchema('month or month range (1-12 or names)', 'may:august', (s) =>
  (MONTHS.includes(s) ? MONTHS.indexOf(s) + 1 : /^(?:[1-9]|1[0-2])$/.test(s) ? Number(s) : undefined));
/**
 * Days of the month; negative days count from the end. Alertmanager's own three rules
 * (`DayOfMonthRange.UnmarshalYAML` in timeinterval/timeinterval.go at v0.34.0), which refuse the
 * whole configuration when broken:
 *   1. each day is in -31..-1 or 1..31;
 *   2. a range that starts at a negative day ends at a negative day (`-1:1` is refused);
 *   3. read in a 28-day month (a negative day d as 28 + d), the range does not end before it starts:
 *      `7:1`, `-1:-7` and `25:-7` are refused, `1:-1` and `-7:-1` are not.
 */
const dayOfMonth = z.string().superRefine((s, ctx) => {
  const parts = s.split(':');
  const values = parts.map((p) => (/^-?(?:[1-9]|[12]\d|3[01])$/.test(p) ? Number(p) : undefined));
  if (parts.length > 2 || values.some((v) => v === undefined)) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a day of month or range (1..31, or -31..-1 from the end): write e.g. "1:7" or "-7:-1"` });
    return;
  }
  const [begin, end = begin] = values as number[];
  if (begin < 0 && end > 0) {
    ctx.addIssue({ code: 'custom', message: `"${s}": a range that starts counting from the end of the month must end counting from the end too (Alertmanager refuses it): write e.g. "-7:-1"` });
  } else if ((begin < 0 ? 28 + begin : begin) > (end < 0 ? 28 + end : end)) {
    ctx.addIssue({ code: 'custom', message: `"${s}": the range ends before it starts in a 28-day month (Alertmanager refuses it): write the earlier day first, e.g. "1:7" or "-7:-1"` });
  }
});
const year = rangeSchema('year or year range', '2025:2026', (s) => (/^\d{4}$/.test(s) ? Number(s) : undefined));

const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a time "HH:MM" from "00:00" to "24:00"');

/** The canonical IANA names Node knows, in their exact spelling. */
let canonicalZones: Set<string> | undefined;

/**
 * True when `tz` is an IANA time zone name spelled exactly as the database spells it. Alertmanager
 * reads it with Go's `time.LoadLocation` (`Location.UnmarshalYAML` in timeinterval/timeinterval.go at
 * v0.34.0), which opens the zoneinfo file of that name: the lookup is case-sensitive, so
 * "europe/berlin" and "utc" are refused there, although JavaScript's `Intl` accepts any case.
 * Canonical names are checked against Node's list; an alias Node only resolves (`US/Eastern`) must
 * resolve and have each part start with a capital letter, as every IANA alias does.
 */
export function isKnownLocation(tz: string): boolean {
  if (tz === 'Local' || tz === 'UTC') return true;
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return false;
  }
  const lower = tz.toLowerCase();
  if ([...canonicalZones, 'UTC'].some((z) => z.toLowerCase() === lower)) return false; // a canonical name in another case
  return tz.split('/').every((part) => /^[A-Z]/.test(part));
}

/** The exact IANA spelling of a zone written in another case ("europe/berlin" → "Europe/Berlin"), or undefined. */
export function locationSpelling(tz: string): string | undefined {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === tz.toLowerCase() ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/** One period: every given field must match (an absent field matches everything). */
export const TimePeriodSchema = z.strictObject({
  /** Times of day, `[start, end)`. @default - all day */
  times: z.array(z.strictObject({
    start: clock.describe('Start, "HH:MM", inclusive.'),
    end: clock.describe('End, "HH:MM", exclusive; "24:00" for midnight.'),
  }).refine((t) => t.start < t.end, { message: 'start must be before end (split a period that crosses midnight in two)' })).optional().describe('Times of day. Default: all day.'),
  /** Weekdays or ranges, e.g. `['monday:friday']`. @default - every day */
  weekdays: z.array(weekday).optional().describe('Weekdays or ranges, e.g. ["monday:friday"]. Default: every day.'),
  /** Days of the month, negative from the end, e.g. `['1:7', '-1']`. @default - every day */
  daysOfMonth: z.array(dayOfMonth).optional().describe('Days of the month or ranges; negative counts from the end. Default: every day.'),
  /** Months, e.g. `['may:august']` or `['1:3']`. @default - every month */
  months: z.array(month).optional().describe('Months or ranges. Default: every month.'),
  /** Years, e.g. `['2026']`. @default - every year */
  years: z.array(year).optional().describe('Years or ranges. Default: every year.'),
  /** IANA time zone the times are read in. @default 'UTC' */
  location: z.string().superRefine((tz, ctx) => {
    if (isKnownLocation(tz)) return;
    const spelling = locationSpelling(tz);
    ctx.addIssue({
      code: 'custom',
      message: spelling && spelling !== tz
        ? `time zone "${tz}" is not spelt as the IANA database spells it, and Alertmanager reads the name case-sensitively: write "${spelling}"`
        : 'unknown time zone: write an IANA name such as "Europe/Berlin" or "America/New_York", spelt exactly (case matters)',
    });
  }).optional().describe('IANA time zone, e.g. "Europe/Berlin". Default UTC.'),
});

/** A named set of periods; the interval is active when any period matches. */
export const TimeIntervalSchema = z.strictObject({
  /** Name routes refer to. */
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected a name of letters, digits, "-", "_" and "."').describe('Name routes refer to in muteTimeIntervals/activeTimeIntervals.'),
  /** Periods; any one matching makes the interval active. */
  intervals: z.array(TimePeriodSchema).min(1).describe('Periods; the interval is active while any of them matches.'),
});

export type TimeIntervalInput = z.input<typeof TimeIntervalSchema>;
export type TimeInterval = z.output<typeof TimeIntervalSchema>;

/** Renders one time interval as an `alertmanager.yml` `time_intervals[]` entry. */
export function renderTimeInterval(t: TimeInterval): Record<string, unknown> {
  return {
    name: t.name,
    time_intervals: t.intervals.map((p) => {
      const o: Record<string, unknown> = {};
      if (p.times) o.times = p.times.map((x) => ({ start_time: x.start, end_time: x.end }));
      if (p.weekdays) o.weekdays = p.weekdays.map((s) => s.toLowerCase());
      if (p.daysOfMonth) o.days_of_month = p.daysOfMonth;
      if (p.months) o.months = p.months.map((s) => s.toLowerCase());
      if (p.years) o.years = p.years;
      if (p.location) o.location = p.location;
      return o;
    }),
  };
}

/** Options of {@link businessHours}. */
export interface BusinessHoursOptions {
  /** @default 'business-hours' */
  readonly name?: string;
  /** @default '09:00' */
  readonly start?: string;
  /** @default '17:00' */
  readonly end?: string;
  /** @default 'UTC' */
  readonly location?: string;
}

/** Monday to Friday, 09:00-17:00 (by default) in one time zone. */
export function businessHours(options: BusinessHoursOptions = {}): TimeIntervalInput {
  return {
    name: options.name ?? 'business-hours',
    intervals: [{ weekdays: ['monday:friday'], times: [{ start: options.start ?? '09:00', end: options.end ?? '17:00' }], location: options.location ?? 'UTC' }],
  };
}
