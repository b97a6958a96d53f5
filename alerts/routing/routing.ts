import { z } from 'zod';
import { durationSeconds, isPromDuration } from '../../lib/duration';
import { Matcher, MatcherInput, MatcherSchema, isLabelName, renderMatcher } from './routing-matchers';
import { receiverName } from './receivers';

/**
 * The Alertmanager route tree as typed data. An alert enters at the root and walks down: at each level
 * the first child whose matchers all match takes it (and, with `continue: true`, the next matching
 * siblings too); the deepest matching route's receiver gets it. Children inherit the receiver, grouping
 * and timings of their parent unless they set their own.
 */

/** A duration Alertmanager accepts (`0s` allowed). */
export const amDuration = z.string().refine(isPromDuration, { message: 'expected a duration such as "30s", "5m" or "4h"' });
/** A duration that must be longer than zero (group and repeat intervals). */
export const positiveDuration = amDuration.refine((d) => !isPromDuration(d) || durationSeconds(d) > 0, { message: 'must be longer than zero, e.g. "5m"' });

/** `group_by`: label names, or `['...']` to turn grouping off (one notification per alert). */
export const GroupBySchema = z.union([
  z.tuple([z.literal('...')]),
  z.array(z.string().refine((l) => isLabelName(l), { message: 'expected a label name, or ["..."] alone to disable grouping' })),
]).describe('Labels that group alerts into one notification; ["..."] sends one notification per alert.');

const timeIntervalName = z.string().min(1);

/** A child route as written. Every field is optional: unset fields inherit from the parent route. */
export interface RouteInput {
  /** Receiver for alerts this route takes. @default - the parent's receiver */
  receiver?: string;
  /** All must match for the route to take an alert. @default [] (matches every alert) */
  matchers?: MatcherInput[];
  /** Keep trying later siblings after this route matched. @default false */
  continue?: boolean;
  /** Grouping labels; `['...']` disables grouping. @default - the parent's */
  groupBy?: string[];
  /** Wait before the first notification of a new group. @default - the parent's (root: 30s) */
  groupWait?: string;
  /** Wait before notifying about alerts added to a group. @default - the parent's (root: 5m) */
  groupInterval?: string;
  /** Wait before re-sending a still-firing group. @default - the parent's (root: 4h) */
  repeatInterval?: string;
  /** Time interval names during which notifications are muted. @default [] */
  muteTimeIntervals?: string[];
  /** Time interval names outside which notifications are muted. @default [] (always active) */
  activeTimeIntervals?: string[];
  /** Child routes, tried in order. @default [] */
  routes?: RouteInput[];
}

/** A parsed child route (defaults applied, matchers parsed). */
export interface Route {
  receiver?: string;
  matchers: Matcher[];
  continue: boolean;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: Route[];
}

/** A child route. Every field is optional: unset fields inherit from the parent route. */
export const RouteSchema: z.ZodType<Route, RouteInput> = z.strictObject({
  /** Receiver for alerts this route takes. @default - the parent's receiver */
  receiver: receiverName.optional().describe('Receiver for the alerts this route takes. Default: the parent\'s.'),
  /** All must match for the route to take an alert. @default [] (matches every alert) */
  matchers: z.array(MatcherSchema).default([]).describe('All must match for this route to take an alert. Default none (matches every alert).'),
  /** Keep trying later siblings after this route matched. @default false */
  continue: z.boolean().default(false).describe('After matching, keep trying later siblings too. Default false.'),
  /** Grouping labels. @default - the parent's */
  groupBy: GroupBySchema.optional().describe('Grouping labels. Default: the parent\'s.'),
  /** Wait before the first notification of a new group. @default - the parent's (root: 30s) */
  groupWait: amDuration.optional().describe('Wait before the first notification of a new group. Default: the parent\'s.'),
  /** Wait before notifying about alerts added to a group. @default - the parent's (root: 5m) */
  groupInterval: positiveDuration.optional().describe('Wait before notifying about alerts added to a group. Default: the parent\'s.'),
  /** Wait before re-sending a still-firing group. @default - the parent's (root: 4h) */
  repeatInterval: positiveDuration.optional().describe('Wait before re-sending a still-firing group. Default: the parent\'s.'),
  /** Time interval names during which notifications are muted. @default [] */
  muteTimeIntervals: z.array(timeIntervalName).default([]).describe('Time intervals during which this route sends nothing. Default none.'),
  /** Time interval names outside which notifications are muted. @default [] (always active) */
  activeTimeIntervals: z.array(timeIntervalName).default([]).describe('Time intervals outside which this route sends nothing. Default none (always active).'),
  /** Child routes, tried in order. @default [] */
  get routes() {
    return z.array(RouteSchema).default([]).describe('Child routes, tried in order. Default none.');
  },
});

/** Defaults of the root route. */
export const ROOT_ROUTE_DEFAULTS = {
  receiver: 'default',
  // One notification per alert kind, per namespace (≈ per app), per component: ten crashing pods of
  // one job are one message, while the same alert in two apps, or on two components, is two.
  groupBy: ['alertname', 'namespace', 'job'],
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
} as const;

/** The root route: every alert enters here, so it takes no matchers and no time intervals. */
export const RootRouteSchema = z.strictObject({
  /** Receiver for alerts no child route takes. @default 'default' */
  receiver: receiverName.default(ROOT_ROUTE_DEFAULTS.receiver).describe('Receiver for alerts no child route takes. Default "default".'),
  /** @default ['alertname', 'namespace', 'job'] */
  groupBy: GroupBySchema.default([...ROOT_ROUTE_DEFAULTS.groupBy]).describe('Grouping labels. Default ["alertname", "namespace", "job"]: one notification per alert kind, per namespace, per component.'),
  /** @default '30s' */
  groupWait: amDuration.default(ROOT_ROUTE_DEFAULTS.groupWait).describe('Wait before the first notification of a new group. Default "30s".'),
  /** @default '5m' */
  groupInterval: positiveDuration.default(ROOT_ROUTE_DEFAULTS.groupInterval).describe('Wait before notifying about alerts added to a group. Default "5m".'),
  /** @default '4h' */
  repeatInterval: positiveDuration.default(ROOT_ROUTE_DEFAULTS.repeatInterval).describe('Wait before re-sending a still-firing group. Default "4h".'),
  /** Child routes, tried in order. @default [] */
  routes: z.array(RouteSchema).default([]).describe('Child routes, tried in order. Default none.'),
}, {
  error: (iss) => (iss.code === 'unrecognized_keys' && iss.keys.some((k) => ['matchers', 'muteTimeIntervals', 'activeTimeIntervals', 'continue'].includes(k))
    ? `the root route takes every alert: it may not have ${iss.keys.join(', ')}; put them on a child route under route.routes`
    : undefined),
}).describe('The root route: receiver and grouping for every alert, and the child routes.');

export type RootRouteInput = z.input<typeof RootRouteSchema>;
export type RootRoute = z.output<typeof RootRouteSchema>;

/** Renders a route (root or child) as an `alertmanager.yml` route object. */
export function renderRoute(r: Route | RootRoute, extraFirstChildren: Record<string, unknown>[] = []): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (r.receiver) o.receiver = r.receiver;
  const child = r as Partial<Route>;
  if (child.matchers?.length) o.matchers = child.matchers.map(renderMatcher);
  if (child.continue) o.continue = true;
  if (r.groupBy) o.group_by = [...r.groupBy];
  if (r.groupWait) o.group_wait = r.groupWait;
  if (r.groupInterval) o.group_interval = r.groupInterval;
  if (r.repeatInterval) o.repeat_interval = r.repeatInterval;
  if (child.muteTimeIntervals?.length) o.mute_time_intervals = [...child.muteTimeIntervals];
  if (child.activeTimeIntervals?.length) o.active_time_intervals = [...child.activeTimeIntervals];
  const routes = [...extraFirstChildren, ...r.routes.map((c) => renderRoute(c))];
  if (routes.length) o.routes = routes;
  return o;
}

/** Visits every child route with its path (`['routes', 2, 'routes', 0]`) relative to the root route. */
export function walkRoutes(routes: readonly Route[], visit: (route: Route, path: Array<string | number>, siblings: readonly Route[], index: number) => void, base: Array<string | number> = []): void {
  routes.forEach((r, i) => {
    const path = [...base, 'routes', i];
    visit(r, path, routes, i);
    walkRoutes(r.routes, visit, path);
  });
}
