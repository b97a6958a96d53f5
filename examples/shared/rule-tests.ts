import { formatNumber, InputSeries } from '../../index';

/**
 * Small builders for the examples' promtool cases (samples one minute apart, promtool's default), so a
 * case reads as "9 requests per second for 40 minutes" rather than as expanding notation.
 */

/** A counter growing by `perSecond` every second, sampled every minute for `minutes` minutes. */
export function counter(series: string, perSecond: number, minutes = 40): InputSeries {
  return { series, values: `0+${formatNumber(perSecond * 60)}x${minutes}` };
}

/** A series with the given values in promtool's expanding notation (`5x10 0x20`). */
export function gauge(series: string, values: string): InputSeries {
  return { series, values };
}

/**
 * Histogram buckets of `perSecond` requests per second, `cumulative[le]` of them at most `le` seconds
 * (`+Inf` is added with `perSecond`), sampled every minute.
 */
export function histogram(metric: string, labels: string, perSecond: number, cumulative: Readonly<Record<string, number>>, minutes = 40): InputSeries[] {
  const buckets: Array<[string, number]> = [...Object.entries(cumulative), ['+Inf', perSecond]];
  return buckets.map(([le, n]) => counter(`${metric}_bucket{${labels}, le="${le}"}`, n, minutes));
}
