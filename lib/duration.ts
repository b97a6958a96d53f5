/**
 * Prometheus durations (`30s`, `5m`, `1h30m`, `30d`), as rule files, `for`, `keep_firing_for`, group
 * intervals and promtool test times use them. Units must appear largest first, each at most once,
 * exactly as Prometheus' `model.ParseDuration` requires.
 */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600],
  ['w', 7 * 24 * 3600],
  ['d', 24 * 3600],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
  ['ms', 0.001],
];

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** True when `s` is a duration Prometheus accepts (`0s` included; the empty string is not). */
export function isPromDuration(s: string): boolean {
  return s.length > 0 && (s === '0' || DURATION_RE.test(s));
}

/** Seconds in a Prometheus duration; throws with an example when the text is not one. */
export function durationSeconds(s: string): number {
  if (s === '0') return 0;
  const m = DURATION_RE.exec(s);
  if (!m || s.length === 0) {
    throw new Error(`"${s}" is not a Prometheus duration: write e.g. "30s", "5m", "1h30m" or "30d" (units y w d h m s ms, largest first)`);
  }
  let total = 0;
  UNITS.forEach(([, factor], i) => {
    if (m[i + 1] !== undefined) total += Number(m[i + 1]) * factor;
  });
  return total;
}

/** Shortest Prometheus duration for a whole number of seconds (3600 → `1h`, 5400 → `1h30m`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`cannot format ${seconds} seconds as a duration`);
  if (seconds === 0) return '0s';
  let rest = Math.round(seconds * 1000);
  let out = '';
  for (const [unit, factor] of UNITS) {
    const ms = Math.round(factor * 1000);
    // Years and weeks read worse than days in rule files (`30d`, not `4w2d`).
    if (unit === 'y' || unit === 'w') continue;
    const n = Math.floor(rest / ms);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * ms;
    }
  }
  return out;
}
