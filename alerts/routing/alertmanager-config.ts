import { z } from 'zod';
import { parseGoTemplate } from '../../lib/go-template';
import { toYaml } from '../../lib/render';
import { secretFilePath } from '../../lib/validators';
import { InhibitRuleSchema, renderInhibitRule, standardInhibitRules } from './inhibit-rules';
import {
  DEFAULT_SECRETS_DIR, INTEGRATION_KINDS, Receiver, ReceiverSchema, SecretMount, SecretRef, SecretRefSchema,
  integrationCount, kubectlCreateSecretLine, renderReceiver, reportInlineSecrets,
} from './receivers';
import { Route, RootRouteSchema, amDuration, positiveDuration, renderRoute, walkRoutes } from './routing';
import { Matcher, MatcherSchema, renderMatcher } from './routing-matchers';
import { TimeIntervalSchema, renderTimeInterval } from './time-intervals';

/**
 * The typed Alertmanager configuration (`alertmanager.routing` in the stack config): receivers, the
 * route tree, inhibit rules, time intervals, templates and the Watchdog heartbeat. Shape errors and
 * cross-reference errors (unknown receiver, unreachable route, ...) fail the synth with the path of
 * the bad field; {@link renderAlertmanagerConfig} turns the parsed value into `alertmanager.yml`
 * plus the list of Secret keys Alertmanager must have mounted.
 */

/** The Alertmanager version the product image pins (quay.io/prometheus/alertmanager:v0.34.0). */
export const DEFAULT_ALERTMANAGER_VERSION = '0.34.0';

/** Name of the built-in receiver the Watchdog goes to. */
export const HEARTBEAT_RECEIVER = 'heartbeat';

/**
 * First Alertmanager release that reads each feature the renderer can emit (from the upstream
 * changelog and `git log -S` on `config/`). Rendering for an older `alertmanagerVersion` fails
 * naming the feature, except inhibit-rule names, which are informational and simply left out.
 */
export const ALERTMANAGER_FEATURE_VERSIONS: Readonly<Record<string, string>> = {
  'route.matchers': '0.22.0',
  'inhibit_rules.source_matchers': '0.22.0',
  'route.mute_time_intervals': '0.22.0',
  'slack_configs.api_url_file': '0.22.0',
  'time_intervals': '0.24.0',
  'route.active_time_intervals': '0.24.0',
  'global.smtp_auth_password_file': '0.25.0',
  'email_configs.auth_password_file': '0.25.0',
  'pagerduty_configs.routing_key_file': '0.25.0',
  // Checked with amtool 0.25; the field is older.
  'http_config.authorization.credentials_file': '0.25.0',
  // url_file appeared in 0.26.0, but a bad file crashed Alertmanager until 0.28.0.
  'webhook_configs.url_file': '0.28.0',
  // webhook_url_file parsed from 0.27.0, but validation still required webhook_url until 0.28.0.
  'discord_configs.webhook_url_file': '0.28.0',
  'msteamsv2_configs.webhook_url_file': '0.28.0',
  'slack_configs.app_token_file': '0.30.0',
  'inhibit_rules.name': '0.30.0',
};

function versionTuple(v: string): number[] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (!m) throw new Error(`"${v}" is not an Alertmanager version: write e.g. "0.34.0"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** True when version `a` is at least `b`. */
export function versionAtLeast(a: string, b: string): boolean {
  const [x, y] = [versionTuple(a), versionTuple(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
}

const emailAddress = z.string().regex(/^(?:[^\s@<>]+@[^\s@<>]+|[^<>\n]*<[^\s@<>]+@[^\s@<>]+>)$/, 'expected an email address such as "alertmanager@example.com"');

/** Settings shared by every receiver. */
export const GlobalSchema = z.strictObject({
  /** Time after which an alert that stopped being sent is resolved. @default '5m' */
  resolveTimeout: positiveDuration.default('5m').describe('Resolve an alert no longer re-sent by Prometheus after this long. Default "5m".'),
  /** SMTP defaults for every email integration. @default - none (each email integration sets its own) */
  smtp: z.strictObject({
    /** Sender. */
    from: emailAddress.describe('Sender address, e.g. "alertmanager@example.com".'),
    /** SMTP server `host:port`. */
    smarthost: z.string().regex(/^(?:[a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}$/, 'expected host:port, e.g. "smtp.example.com:587"').describe('SMTP server host:port, e.g. "smtp.example.com:587".'),
    /** Name sent in HELO/EHLO. @default 'localhost' */
    hello: z.string().min(1).optional().describe('Host name sent in EHLO. Default "localhost".'),
    /** SMTP user. @default - no authentication */
    authUsername: z.string().min(1).optional().describe('SMTP user. Default: no authentication.'),
    /** SMTP password, from a Secret. @default - no authentication */
    authPassword: SecretRefSchema.optional().describe('SMTP password (Secret reference) → smtp_auth_password_file. Default: no authentication.'),
    /** Require STARTTLS. @default true */
    requireTls: z.boolean().default(true).describe('Require STARTTLS. Default true.'),
  }).optional().describe('SMTP defaults for every email integration. Default none.'),
});

/** The Watchdog heartbeat: an always-firing alert proves the alerting pipeline works end to end. */
export const HeartbeatSchema = z.strictObject({
  /**
   * Dead-man's-switch URL (healthchecks.io, Dead Man's Snitch, ...), from a Secret; it raises its own
   * alarm when the pings stop. @default - none: the Watchdog goes to a receiver with no integrations
   */
  url: SecretRefSchema.optional().describe('Dead-man\'s-switch ping URL (Secret reference) → webhook url_file. Default none: the Watchdog is routed to a receiver with no integrations.'),
  /** Matchers that select the heartbeat alert. @default ['alertname="Watchdog"'] */
  matchers: z.array(MatcherSchema).min(1).prefault(['alertname="Watchdog"']).describe('Matchers selecting the heartbeat alert. Default alertname="Watchdog".'),
  /** @default '0s' */
  groupWait: amDuration.default('0s').describe('Default "0s": ping as soon as the Watchdog arrives.'),
  /** @default '1m' */
  groupInterval: positiveDuration.default('1m').describe('Default "1m".'),
  /** Ping period; set the dead-man's switch to expect a ping at least this often (with grace). @default '5m' */
  repeatInterval: positiveDuration.default('5m').describe('Ping period. Default "5m": configure the dead-man\'s switch for a 5m period plus grace.'),
});

const TEMPLATE_FILE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*\.tmpl$/;

const RoutingConfigObjectSchema = z.strictObject({
  /** Shared settings (resolve timeout, SMTP defaults). @default {} */
  global: GlobalSchema.prefault({}).describe('Shared settings: resolve timeout, SMTP defaults.'),
  /** Receivers. @default [{ name: 'default', discard: true }] (alerts are kept in Alertmanager, sent nowhere) */
  receivers: z.array(ReceiverSchema).prefault([{ name: 'default', discard: true }]).describe('Receivers. Default: one receiver "default" that sends nothing.'),
  /** The route tree. @default { receiver: 'default', groupBy: ['alertname', 'namespace', 'job'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' } */
  route: RootRouteSchema.prefault({}).describe('The route tree.'),
  /** Inhibit rules. @default standardInhibitRules() */
  inhibitRules: z.array(InhibitRuleSchema).prefault(() => standardInhibitRules()).describe('Inhibit rules. Default: standardInhibitRules() (critical mutes warning/info of the same alert and target; a down target or node mutes its alerts). Spread ...standardInhibitRules() to add to them.'),
  /** Named time intervals routes can mute or activate on. @default [] */
  timeIntervals: z.array(TimeIntervalSchema).default([]).describe('Named time intervals for muteTimeIntervals/activeTimeIntervals. Default none.'),
  /** Notification template files: file name (`*.tmpl`) → content. @default {} */
  templates: z.record(z.string().regex(TEMPLATE_FILE_RE, 'expected a template file name ending in .tmpl, e.g. "vigil.tmpl"'), z.string().min(1)).default({}).describe('Notification template files (name ending in .tmpl → Go template text). Default none.'),
  /** The Watchdog heartbeat. @default {} (routed to a receiver with no integrations) */
  heartbeat: HeartbeatSchema.prefault({}).describe('The Watchdog heartbeat route and receiver.'),
}).superRefine((config, ctx) => {
  for (const issue of [...routingErrors(config), ...templateErrors(config)]) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/**
 * Functions Alertmanager's templates may call besides Go's built-ins: `DefaultFuncs` in
 * template/template.go at v0.34.0. Go resolves function names when it parses a template.
 */
export const ALERTMANAGER_TEMPLATE_FUNCTIONS: readonly string[] = [
  'toUpper', 'toLower', 'title', 'trimSpace', 'join', 'match', 'safeHtml', 'safeUrl', 'urlUnescape', 'reReplaceAll',
  'stringSlice', 'routeLabels', 'date', 'tz', 'now', 'since', 'humanizeDuration', 'toDate', 'mustToDate', 'toJson',
  'list', 'append', 'dict',
];

/** Templates Alertmanager always has: the `define`s of template/default.tmpl and email.tmpl at v0.34.0. */
export const ALERTMANAGER_DEFAULT_TEMPLATES: readonly string[] = [
  '__alertmanager', '__alertmanagerURL', '__subject', '__description', '__text_alert_list', '__text_alert_list_markdown',
  ...['title', 'username', 'fallback', 'callbackid', 'pretext', 'titlelink', 'iconemoji', 'iconurl', 'text', 'footer', 'color'].map((f) => `slack.default.${f}`),
  ...['description', 'client', 'clientURL', 'instances'].map((f) => `pagerduty.default.${f}`),
  ...['message', 'description', 'source'].map((f) => `opsgenie.default.${f}`),
  ...['message', 'to_user', 'to_party', 'to_tag', 'agent_id'].map((f) => `wechat.default.${f}`),
  ...['state_message', 'entity_display_name', 'monitoring_tool'].map((f) => `victorops.default.${f}`),
  ...['title', 'message', 'url'].map((f) => `pushover.default.${f}`),
  'sns.default.subject', 'sns.default.message', 'telegram.default.message',
  'discord.default.content', 'discord.default.title', 'discord.default.message', 'webex.default.message',
  'msteams.default.summary', 'msteams.default.title', 'msteams.default.text', 'msteamsv2.default.title', 'msteamsv2.default.text',
  'jira.default.summary', 'jira.default.description',
  ...['title', 'alias', 'titlelink', 'emoji', 'iconurl', 'text'].map((f) => `rocketchat.default.${f}`),
  ...['color', 'username', 'title', 'titlelink', 'fallback', 'text'].map((f) => `mattermost.default.${f}`),
  'email.default.subject', 'email.default.html',
];

/**
 * Template problems, found at synth instead of by Alertmanager: a template file Go's parser refuses
 * keeps Alertmanager from loading its configuration; a receiver field (title, text, ...) is parsed and
 * executed when a notification is sent, so a broken one, or one executing a template defined nowhere,
 * fails that notification. lib/go-template.ts parses both as text/template does.
 */
export function templateErrors(config: Pick<z.output<typeof RoutingConfigObjectSchema>, 'templates' | 'receivers'>): RoutingIssue[] {
  const issues: RoutingIssue[] = [];
  const defined = new Set(ALERTMANAGER_DEFAULT_TEMPLATES);
  const parsed: Array<{ path: Array<string | number>; info: ReturnType<typeof parseGoTemplate> }> = [];
  for (const [file, text] of Object.entries(config.templates)) {
    const info = parseGoTemplate(text, ALERTMANAGER_TEMPLATE_FUNCTIONS);
    info.defines.forEach((d) => defined.add(d));
    parsed.push({ path: ['templates', file], info });
  }
  const visit = (value: unknown, path: Array<string | number>) => {
    if (typeof value === 'string') {
      if (value.includes('{{') || value.includes('}}')) parsed.push({ path, info: parseGoTemplate(value, ALERTMANAGER_TEMPLATE_FUNCTIONS) });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i]));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (k !== 'name') visit(v, [...path, k]);
    }
  };
  config.receivers.forEach((r, i) => visit(r, ['receivers', i]));
  for (const { path, info } of parsed) {
    const where = path[0] === 'templates' ? `template file ${String(path[1])}` : 'template';
    for (const p of info.problems) issues.push({ path, message: `${where}: ${p} (Go's text/template, which Alertmanager uses, refuses it)` });
    for (const name of new Set(info.references)) {
      if (!defined.has(name)) {
        const own = [...defined].filter((d) => !ALERTMANAGER_DEFAULT_TEMPLATES.includes(d)).sort();
        issues.push({ path, message: `${where}: {{ template "${name}" }} names a template defined nowhere (defined in routing.templates: ${own.length ? own.join(', ') : 'none'}; Alertmanager's own are named like "slack.default.title"): the notification would fail when sent` });
      }
    }
  }
  return issues;
}

type RoutingConfigObjectInput = z.input<typeof RoutingConfigObjectSchema>;

/**
 * The typed Alertmanager routing. Inline secrets anywhere outside receivers (SMTP password, heartbeat
 * URL, templates) are rejected here; receivers check their own.
 */
export const RoutingConfigSchema = z.preprocess((raw: RoutingConfigObjectInput, ctx) => {
  if (!raw || typeof raw !== 'object') return raw;
  const r = raw as Record<string, unknown>;
  const smtp = (r.global as { smtp?: { authPassword?: unknown } } | undefined)?.smtp;
  if (typeof smtp?.authPassword === 'string') {
    ctx.addIssue({ code: 'custom', path: ['global', 'smtp', 'authPassword'], message: `global.smtp.authPassword holds an inline SMTP password; secret values never go into the generated configuration. Create a Secret: ${kubectlCreateSecretLine('email', 'authPassword')}, then write authPassword: { name: 'alertmanager-smtp', key: 'password' }` });
  }
  const heartbeatUrl = (r.heartbeat as { url?: unknown } | undefined)?.url;
  if (typeof heartbeatUrl === 'string') {
    ctx.addIssue({ code: 'custom', path: ['heartbeat', 'url'], message: "heartbeat.url holds an inline ping URL; secret values never go into the generated configuration. Create a Secret: kubectl create secret generic alertmanager-heartbeat --namespace monitoring --from-literal=url='https://hc-ping.com/<uuid>', then write url: { name: 'alertmanager-heartbeat', key: 'url' }" });
  }
  // Everything else: any string that looks like a secret (receivers check themselves).
  for (const section of ['global', 'route', 'inhibitRules', 'timeIntervals', 'templates', 'heartbeat']) {
    if (!(section in r)) continue;
    let value = r[section];
    if (section === 'global' && smtp) value = { ...(r.global as object), smtp: { ...smtp, authPassword: undefined } };
    if (section === 'heartbeat') value = { ...(r.heartbeat as object), url: undefined };
    reportInlineSecrets(matchersAsText(value), 'routing', ctx, [section]);
  }
  return raw;
}, RoutingConfigObjectSchema).describe('Alertmanager routing: receivers (secrets from Kubernetes Secrets), route tree, inhibit rules, time intervals, templates, Watchdog heartbeat.');

/**
 * A copy of a routing section with every matcher object `{ name, op, value }` written as its string
 * form, so the inline-secret check judges a matcher the same way in both forms: a whole string that
 * looks like a key (32 letters and digits) is a secret, a matcher on such a value is not.
 */
function matchersAsText(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => (key && /^(?:matchers|sourceMatchers|targetMatchers)$/.test(key) && v && typeof v === 'object' && !Array.isArray(v)
      ? `${String((v as Record<string, unknown>).name)}${String((v as Record<string, unknown>).op ?? '=')}"${String((v as Record<string, unknown>).value)}"`
      : matchersAsText(v)));
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, matchersAsText(v, k)]));
  return value;
}

export type RoutingConfigInput = z.input<typeof RoutingConfigSchema>;
export type RoutingConfig = z.output<typeof RoutingConfigSchema>;

/** A problem found in a routing configuration, with the path of the offending field. */
export interface RoutingIssue {
  /** Path inside the routing config, e.g. `['route', 'routes', 2, 'receiver']`. */
  readonly path: Array<string | number>;
  readonly message: string;
}

/** `['route', 'routes', 2, 'receiver']` → `route.routes[2].receiver`. */
export function formatRoutingPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

/**
 * Parses untyped routing input; throws one Error listing every problem as `routing.<path>: <message>`.
 */
export function parseRoutingConfig(input: unknown): RoutingConfig {
  const result = RoutingConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `routing.${formatRoutingPath(i.path)}: ${i.message}`);
  throw new Error(`invalid Alertmanager routing:\n  ${lines.join('\n  ')}`);
}

function sameMatchers(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  const bs = new Set(b.map(renderMatcher));
  return a.every((m) => bs.has(renderMatcher(m)));
}

/**
 * Cross-reference errors: unknown or duplicate receivers, receivers without integrations, email
 * without a server, unknown time intervals, unreachable routes. Empty for a valid configuration.
 */
export function routingErrors(config: z.output<typeof RoutingConfigObjectSchema>): RoutingIssue[] {
  const issues: RoutingIssue[] = [];
  const add = (path: Array<string | number>, message: string) => issues.push({ path, message });

  // Receivers: unique names, the reserved heartbeat name, at least one integration or discard.
  const seen = new Map<string, number>();
  config.receivers.forEach((r, i) => {
    if (r.name === HEARTBEAT_RECEIVER) {
      add(['receivers', i, 'name'], `"${HEARTBEAT_RECEIVER}" is the built-in receiver of the Watchdog; configure it with routing.heartbeat.url and name your receiver differently`);
    }
    const first = seen.get(r.name);
    if (first !== undefined) add(['receivers', i, 'name'], `duplicate receiver name "${r.name}" (also receivers[${first}]); receiver names must be unique`);
    else seen.set(r.name, i);
    const n = integrationCount(r);
    if (n === 0 && !r.discard) {
      add(['receivers', i], `receiver "${r.name}" has no integration: add one of ${INTEGRATION_KINDS.join(', ')}, or set discard: true if its alerts should go nowhere on purpose`);
    }
    if (n > 0 && r.discard) add(['receivers', i, 'discard'], `receiver "${r.name}" has discard: true and ${n} integration(s); remove one or the other`);
    r.email.forEach((e, j) => {
      const smtp = config.global.smtp;
      if (!e.from && !smtp) add(['receivers', i, 'email', j, 'from'], `receiver "${r.name}": email needs a sender: set from here or routing.global.smtp.from`);
      if (!e.smarthost && !smtp) add(['receivers', i, 'email', j, 'smarthost'], `receiver "${r.name}": email needs an SMTP server: set smarthost here or routing.global.smtp.smarthost`);
      if (e.authPassword && !e.authUsername && !smtp?.authUsername) add(['receivers', i, 'email', j, 'authUsername'], `receiver "${r.name}": authPassword without authUsername: set authUsername`);
    });
  });
  if (config.global.smtp?.authPassword && !config.global.smtp.authUsername) {
    add(['global', 'smtp', 'authUsername'], 'global.smtp.authPassword is set without authUsername: set authUsername');
  }

  // The heartbeat route comes first and stops there: a broad matcher would swallow real alerts.
  if (!config.heartbeat.matchers.some((m) => m.name === 'alertname' && m.op === '=')) {
    add(['heartbeat', 'matchers'], 'the heartbeat route must select one alert by name, e.g. \'alertname="Watchdog"\'; a broader matcher would send real alerts to the dead-man\'s switch instead of paging');
  }

  const known = [...seen.keys()].sort();
  const knownList = known.length ? known.join(', ') : '(none)';
  const checkReceiver = (name: string | undefined, path: Array<string | number>) => {
    if (name === undefined) return;
    if (name === HEARTBEAT_RECEIVER) {
      add(path, `"${HEARTBEAT_RECEIVER}" only takes the Watchdog (other alerts would keep the dead-man's switch quiet); route to another receiver`);
    } else if (!seen.has(name)) {
      add(path, `unknown receiver "${name}"; known receivers: ${knownList}. Declare it under routing.receivers or fix the name`);
    }
  };
  checkReceiver(config.route.receiver, ['route', 'receiver']);

  // Time intervals: unique names; routes may only name declared ones.
  const intervals = new Map<string, number>();
  config.timeIntervals.forEach((t, i) => {
    if (intervals.has(t.name)) add(['timeIntervals', i, 'name'], `duplicate time interval name "${t.name}" (also timeIntervals[${intervals.get(t.name)}])`);
    else intervals.set(t.name, i);
  });
  const intervalList = intervals.size ? [...intervals.keys()].sort().join(', ') : '(none declared)';

  const checkSiblings = (routes: readonly Route[], base: Array<string | number>) => {
    routes.forEach((r, i) => {
      for (let j = 0; j < i; j++) {
        const earlier = routes[j];
        if (earlier.continue) continue;
        if (earlier.matchers.length === 0) {
          add([...base, 'routes', i], `unreachable route: ${formatRoutingPath([...base, 'routes', j])} before it has no matchers and no continue: true, so it takes every alert; move this route before it, or set continue: true on it`);
          break;
        }
        if (sameMatchers(earlier.matchers, r.matchers)) {
          add([...base, 'routes', i], `unreachable route: ${formatRoutingPath([...base, 'routes', j])} before it matches every alert this one matches (${earlier.matchers.map(renderMatcher).join(', ')}) and has no continue: true; move this route before it, or set continue: true on it`);
          break;
        }
      }
    });
  };
  checkSiblings(config.route.routes, ['route']);
  walkRoutes(config.route.routes, (r, path) => {
    checkReceiver(r.receiver, [...path, 'receiver']);
    for (const key of ['muteTimeIntervals', 'activeTimeIntervals'] as const) {
      r[key].forEach((name, k) => {
        if (!intervals.has(name)) add([...path, key, k], `unknown time interval "${name}"; declared: ${intervalList}. Declare it under routing.timeIntervals`);
      });
    }
    checkSiblings(r.routes, path);
  }, ['route']);
  return issues;
}

/** A warning: the configuration works, but probably not as meant. */
export type RoutingWarning = RoutingIssue;

/**
 * Matchers (in routes and inhibit rules) on labels no alert carries: such a `=` or `=~` matcher never
 * matches. `alertLabels` is every label name the alert rules (plus external labels) can produce;
 * `alertname` is always known.
 */
export function routingLabelWarnings(config: RoutingConfig, alertLabels: Iterable<string>): RoutingWarning[] {
  const labels = new Set(alertLabels);
  labels.add('alertname');
  const warnings: RoutingWarning[] = [];
  const check = (matchers: readonly Matcher[], path: Array<string | number>) => {
    matchers.forEach((m, i) => {
      if (labels.has(m.name)) return;
      warnings.push({
        path: [...path, i],
        message: `${formatRoutingPath([...path, i])}: matcher ${renderMatcher(m)} is on label "${m.name}", which no alert carries${m.op === '=' || m.op === '=~' ? ', so it never matches' : ''}; add the label to the alert rules or fix the matcher`,
      });
    });
  };
  walkRoutes(config.route.routes, (r, path) => check(r.matchers, [...path, 'matchers']), ['route']);
  config.inhibitRules.forEach((rule, i) => {
    check(rule.sourceMatchers, ['inhibitRules', i, 'sourceMatchers']);
    check(rule.targetMatchers, ['inhibitRules', i, 'targetMatchers']);
  });
  return warnings;
}

/** Receivers no route names (they never get an alert). */
export function unusedReceiverWarnings(config: RoutingConfig): RoutingWarning[] {
  const used = new Set<string>([config.route.receiver]);
  walkRoutes(config.route.routes, (r) => { if (r.receiver) used.add(r.receiver); });
  return config.receivers.flatMap((r, i) => (used.has(r.name) ? [] : [{ path: ['receivers', i], message: `receivers[${i}]: receiver "${r.name}" is not used by any route` }]));
}

/** Options of {@link renderAlertmanagerConfig}. */
export interface RenderAlertmanagerOptions {
  /** Directory the Secrets are mounted under (`<dir>/<name>/<key>`). @default '/etc/alertmanager/secrets' */
  readonly secretsDir?: string;
  /** Directory the template files are mounted in. @default '/etc/alertmanager/templates' */
  readonly templatesDir?: string;
  /** Alertmanager version the config is for; newer features fail the render. @default DEFAULT_ALERTMANAGER_VERSION ('0.34.0') */
  readonly alertmanagerVersion?: string;
  /** Start the file with a "generated, do not edit" comment. @default true */
  readonly header?: boolean;
}

/** The rendered configuration and what Alertmanager needs mounted to read it. */
export interface RenderedAlertmanagerConfig {
  /** `alertmanager.yml`: only `*_file` paths, never a secret value. */
  readonly yaml: string;
  /** Every Secret key the config reads, sorted, each once. */
  readonly secretMounts: SecretMount[];
  /** Template files to mount in `templatesDir`: file name → content. */
  readonly templateFiles: Record<string, string>;
  /** Alertmanager features the config uses (keys of {@link ALERTMANAGER_FEATURE_VERSIONS}), sorted. */
  readonly features: string[];
}

const GENERATED_HEADER = '# Generated by Vigil from the typed Alertmanager routing. Do not edit: change the TypeScript and synth again.\n';

/**
 * Renders `alertmanager.yml`. Pure and deterministic: the same routing always gives the same bytes.
 * Throws when the routing has cross-reference errors (for values not built by the schema) or uses a
 * feature the target Alertmanager version lacks.
 */
export function renderAlertmanagerConfig(routing: RoutingConfig, options: RenderAlertmanagerOptions = {}): RenderedAlertmanagerConfig {
  const secretsDir = options.secretsDir ?? DEFAULT_SECRETS_DIR;
  const templatesDir = options.templatesDir ?? '/etc/alertmanager/templates';
  const version = options.alertmanagerVersion ?? DEFAULT_ALERTMANAGER_VERSION;
  const errors = routingErrors(routing);
  if (errors.length) {
    throw new Error(`invalid Alertmanager routing:\n  ${errors.map((e) => `routing.${formatRoutingPath(e.path)}: ${e.message}`).join('\n  ')}`);
  }

  const mounts = new Map<string, SecretMount>();
  const features = new Set<string>();
  const ctx = {
    secretFile(ref: SecretRef): string {
      const mountPath = secretFilePath(secretsDir, ref);
      mounts.set(mountPath, { name: ref.name, key: ref.key, mountPath });
      return mountPath;
    },
    feature(name: string): void {
      features.add(name);
    },
  };

  const global: Record<string, unknown> = { resolve_timeout: routing.global.resolveTimeout };
  const smtp = routing.global.smtp;
  if (smtp) {
    global.smtp_from = smtp.from;
    global.smtp_smarthost = smtp.smarthost;
    if (smtp.hello) global.smtp_hello = smtp.hello;
    if (smtp.authUsername) global.smtp_auth_username = smtp.authUsername;
    if (smtp.authPassword) {
      features.add('global.smtp_auth_password_file');
      global.smtp_auth_password_file = ctx.secretFile(smtp.authPassword);
    }
    global.smtp_require_tls = smtp.requireTls;
  }

  const hb = routing.heartbeat;
  const heartbeatReceiver: Receiver = {
    name: HEARTBEAT_RECEIVER, discard: !hb.url, slack: [], email: [], pagerduty: [], discord: [], msteams: [],
    webhook: hb.url ? [{ url: hb.url, maxAlerts: 0, sendResolved: false }] : [],
  };
  // First child of the root and without continue: the Watchdog never reaches a paging receiver.
  const heartbeatRoute = renderRoute({
    receiver: HEARTBEAT_RECEIVER, matchers: hb.matchers, continue: false, groupBy: ['alertname'],
    groupWait: hb.groupWait, groupInterval: hb.groupInterval, repeatInterval: hb.repeatInterval,
    muteTimeIntervals: [], activeTimeIntervals: [], routes: [],
  });

  features.add('route.matchers');
  walkRoutes(routing.route.routes, (r) => {
    if (r.muteTimeIntervals.length) features.add('route.mute_time_intervals');
    if (r.activeTimeIntervals.length) features.add('route.active_time_intervals');
  });
  if (routing.timeIntervals.length) features.add('time_intervals');
  if (routing.inhibitRules.length) features.add('inhibit_rules.source_matchers');
  const inhibitNames = routing.inhibitRules.some((r) => r.name) && versionAtLeast(version, ALERTMANAGER_FEATURE_VERSIONS['inhibit_rules.name']);
  if (inhibitNames) features.add('inhibit_rules.name');

  const doc: Record<string, unknown> = { global };
  const templateNames = Object.keys(routing.templates).sort();
  if (templateNames.length) doc.templates = templateNames.map((n) => `${templatesDir}/${n}`);
  doc.route = renderRoute(routing.route, [heartbeatRoute]);
  doc.receivers = [...routing.receivers, heartbeatReceiver].map((r) => renderReceiver(r, ctx));
  if (routing.inhibitRules.length) doc.inhibit_rules = routing.inhibitRules.map((r) => renderInhibitRule(r, inhibitNames));
  if (routing.timeIntervals.length) doc.time_intervals = routing.timeIntervals.map(renderTimeInterval);

  const tooNew = [...features].filter((f) => !versionAtLeast(version, ALERTMANAGER_FEATURE_VERSIONS[f] ?? '0.0.0')).sort();
  if (tooNew.length) {
    throw new Error(`the routing uses ${tooNew.map((f) => `${f} (Alertmanager >= ${ALERTMANAGER_FEATURE_VERSIONS[f]})`).join(', ')}, but the target is Alertmanager ${version}: upgrade the image or drop these integrations`);
  }

  return {
    yaml: (options.header ?? true ? GENERATED_HEADER : '') + toYaml(doc),
    secretMounts: [...mounts.values()].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0)),
    templateFiles: Object.fromEntries(templateNames.map((n) => [n, routing.templates[n]])),
    features: [...features].sort(),
  };
}
