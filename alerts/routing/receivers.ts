import { z } from 'zod';
import { secretLikeReason } from '../../lib/secrets';

/**
 * Alertmanager receivers as typed data: Slack, email, PagerDuty (Events API v2), generic webhook,
 * Discord and Microsoft Teams (Workflows). Every secret (webhook URL, routing key, SMTP password, bot
 * token) is a reference to a key of a Kubernetes Secret the user creates; the rendered configuration
 * only names the file it is mounted at (`api_url_file`, `routing_key_file`, ...), so no secret value
 * ever reaches `dist/`. An inline value is a type error and, for untyped input, a synth error that
 * names the receiver and gives the `kubectl create secret` line that fixes it.
 */

// ---------------------------------------------------------------------------------------------
// Secret references
// ---------------------------------------------------------------------------------------------

/** Where Alertmanager finds mounted Secret keys by default: `<dir>/<name>/<key>`. */
export const DEFAULT_SECRETS_DIR = '/etc/alertmanager/secrets';

const SECRET_NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** A key of a Kubernetes Secret in the Alertmanager namespace; the rendered config reads it as a file. */
export interface SecretRef {
  /** Name of the Secret (you create it; Vigil never writes its value). */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Shorthand for a {@link SecretRef}: `secretRef('alertmanager-slack', 'webhook-url')`. */
export function secretRef(name: string, key: string): SecretRef {
  return { name, key };
}

export const SecretRefSchema = z.strictObject({
  name: z
    .string()
    .max(253)
    .regex(SECRET_NAME_RE, 'expected a Secret name: lower-case letters, digits, "-" and ".", e.g. "alertmanager-slack"')
    .describe('Name of the Kubernetes Secret, created by you in the Alertmanager namespace.'),
  key: z
    .string()
    .regex(SECRET_KEY_RE, 'expected a Secret key: letters, digits, "-", "_" and "."')
    .refine((k) => k !== '.' && k !== '..', 'a Secret key may not be "." or ".."')
    .describe('Key inside the Secret; mounted as a file the `*_file` setting points at.'),
}, {
  error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined
    ? 'missing Secret reference: write { name: "<secret>", key: "<key>" } naming a Secret you create with kubectl create secret generic'
    : iss.code === 'invalid_type'
      ? 'expected a Secret reference { name, key }, not an inline value: secret values never go into the generated configuration'
      : undefined),
}).describe('Reference to a key of a Kubernetes Secret: { name, key }. The value is mounted as a file, never written to dist/.');


/** A Secret key the rendered configuration reads, and the file it must be mounted at. */
export interface SecretMount {
  readonly name: string;
  readonly key: string;
  /** Absolute path of the file (`<secretsDir>/<name>/<key>`). */
  readonly mountPath: string;
}

/**
 * Secret fields of each integration: the field, the example Secret and key the fix suggests, and what
 * the value looks like. Drives the inline-value error messages and the docs.
 */
export const SECRET_FIELDS = {
  slack: {
    apiUrl: { name: 'alertmanager-slack', key: 'webhook-url', literal: 'https://hooks.slack.com/services/T000/B000/XXXX', what: 'Slack incoming-webhook URL' },
    botToken: { name: 'alertmanager-slack', key: 'bot-token', literal: 'xoxb-...', what: 'Slack bot token' },
  },
  email: {
    authPassword: { name: 'alertmanager-smtp', key: 'password', literal: '<smtp password>', what: 'SMTP password' },
  },
  pagerduty: {
    routingKey: { name: 'alertmanager-pagerduty', key: 'routing-key', literal: '<32-character integration key>', what: 'PagerDuty Events API v2 routing key' },
  },
  webhook: {
    url: { name: 'alertmanager-webhook', key: 'url', literal: 'https://incidents.example.com/hooks/<token>', what: 'webhook URL' },
    bearerToken: { name: 'alertmanager-webhook', key: 'token', literal: '<bearer token>', what: 'webhook bearer token' },
  },
  discord: {
    webhookUrl: { name: 'alertmanager-discord', key: 'webhook-url', literal: 'https://discord.com/api/webhooks/<id>/<token>', what: 'Discord webhook URL' },
  },
  msteams: {
    webhookUrl: { name: 'alertmanager-msteams', key: 'webhook-url', literal: 'https://<tenant>.webhook.office.com/...', what: 'Teams Workflows webhook URL' },
  },
} as const;

export type IntegrationKind = keyof typeof SECRET_FIELDS;
interface SecretFieldInfo { readonly name: string; readonly key: string; readonly literal: string; readonly what: string }
export const INTEGRATION_KINDS = Object.keys(SECRET_FIELDS) as IntegrationKind[];

/** The `kubectl create secret generic` line that creates a Secret for one secret field. */
export function kubectlCreateSecretLine(kind: IntegrationKind, field: string, namespace = 'monitoring'): string {
  const f = (SECRET_FIELDS[kind] as Readonly<Record<string, SecretFieldInfo>>)[field];
  return `kubectl create secret generic ${f.name} --namespace ${namespace} --from-literal=${f.key}='${f.literal}'`;
}

// The secret-pattern check lives in lib/ so every layer uses the same one; re-exported for routing's users.
export { secretLikeReason } from '../../lib/secrets';

function describePath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/**
 * Reports every inline secret in untyped input: a secret field given as a string, or any string that
 * looks like a secret value. `where` names the place in messages (`receiver "oncall"`).
 */
export function reportInlineSecrets(raw: unknown, where: string, ctx: z.RefinementCtx, basePath: ReadonlyArray<string | number> = []): void {
  const visit = (value: unknown, path: Array<string | number>, kind: IntegrationKind | undefined): void => {
    if (typeof value === 'string') {
      const field = path[path.length - 1];
      const fields: Readonly<Record<string, SecretFieldInfo>> | undefined = kind ? SECRET_FIELDS[kind] : undefined;
      const known = fields && typeof field === 'string' ? fields[field] : undefined;
      const likeness = secretLikeReason(value);
      if (!known && !likeness) return;
      const at = describePath([...basePath, ...path]);
      const fix = known && kind
        ? `${kubectlCreateSecretLine(kind, field as string)}, then write ${field}: { name: '${known.name}', key: '${known.key}' }`
        : "kubectl create secret generic <name> --namespace monitoring --from-literal=<key>='<value>', then reference it as { name: '<name>', key: '<key>' } in the integration's secret field";
      ctx.addIssue({
        code: 'custom',
        path: [...basePath, ...path],
        message: `${where}: ${at} holds ${known ? `an inline ${known.what}` : `an inline secret (${likeness})`}; secret values never go into the generated configuration. Create a Secret: ${fix}`,
      });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i], kind));
      return;
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        visit(v, [...path, k], path.length === 0 && (INTEGRATION_KINDS as string[]).includes(k) ? (k as IntegrationKind) : kind);
      }
    }
  };
  visit(raw, [], undefined);
}

// ---------------------------------------------------------------------------------------------
// Integration schemas
// ---------------------------------------------------------------------------------------------

const template = (what: string) => z.string().min(1).describe(`${what} (Go template; Alertmanager's default when unset).`);
const sendResolved = (dflt: boolean) =>
  z.boolean().default(dflt).describe(`Also notify when the alert resolves. Default ${dflt}.`);
const EMAIL_RE = /^(?:[^\s@<>]+@[^\s@<>]+|[^<>\n]*<[^\s@<>]+@[^\s@<>]+>)$/;
const emailAddress = z.string().regex(EMAIL_RE, 'expected an email address such as "oncall@example.com" or "On-call <oncall@example.com>"');
const hostPort = z.string().regex(/^(?:[a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}$/, 'expected host:port, e.g. "smtp.example.com:587"');
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'expected an absolute http:// or https:// URL');

/** PagerDuty's event severities. */
export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type PagerDutySeverity = (typeof PAGERDUTY_SEVERITIES)[number];

/** Slack: an incoming webhook (`apiUrl`) or a bot token (`botToken`, posts with chat.postMessage). */
export const SlackConfigSchema = z.strictObject({
  /** Incoming-webhook URL, from a Secret. Exactly one of `apiUrl` and `botToken`. @default - none */
  apiUrl: SecretRefSchema.optional().describe('Slack incoming-webhook URL (Secret reference) → api_url_file. Exactly one of apiUrl and botToken.'),
  /** Bot token (`xoxb-...`), from a Secret; needs `channel`. Alertmanager ≥ 0.30. @default - none */
  botToken: SecretRefSchema.optional().describe('Slack bot token (Secret reference) → app_token_file; requires channel. Alertmanager >= 0.30.'),
  /** Channel (`#alerts`) or user (`@name`). @default - the webhook's own channel */
  channel: z.string().regex(/^[#@]?[a-zA-Z0-9][a-zA-Z0-9._-]*$/, 'expected a channel such as "#alerts" or a user such as "@oncall"').optional().describe('Channel ("#alerts") or user ("@oncall"). Default: the webhook\'s own channel.'),
  /** Message title. @default - Alertmanager's `slack.default.title` */
  title: template('Message title').optional(),
  /** Link behind the title. @default - Alertmanager's `slack.default.titlelink` */
  titleLink: template('Link behind the title').optional(),
  /** Message text. @default - Alertmanager's `slack.default.text` */
  text: template('Message text').optional(),
  /** Attachment colour. @default - `danger` while firing, `good` when resolved */
  color: template('Attachment colour').optional(),
  /** Sender name shown. @default - Alertmanager's `slack.default.username` */
  username: template('Sender name').optional(),
  /** Emoji icon, e.g. `:rotating_light:`. @default - the app's icon */
  iconEmoji: z.string().regex(/^:[a-z0-9_+-]+:$/, 'expected an emoji such as ":rotating_light:"').optional().describe('Emoji icon such as ":rotating_light:". Default: the app\'s icon.'),
  /** Also post when resolved. @default true */
  sendResolved: sendResolved(true),
}).superRefine((c, ctx) => {
  if (!c.apiUrl && !c.botToken) {
    ctx.addIssue({ code: 'custom', path: ['apiUrl'], message: `missing Secret reference: Slack needs apiUrl (incoming-webhook URL) or botToken (bot token), each { name, key }; create the Secret with: ${kubectlCreateSecretLine('slack', 'apiUrl')}` });
  } else if (c.apiUrl && c.botToken) {
    ctx.addIssue({ code: 'custom', path: ['botToken'], message: 'set only one of apiUrl (incoming webhook) and botToken (bot token)' });
  }
  if (c.botToken && !c.channel) {
    ctx.addIssue({ code: 'custom', path: ['channel'], message: 'a bot token posts to a channel you name: set channel, e.g. "#alerts"' });
  }
});

/** Email through an SMTP smarthost; `from`, `smarthost` and credentials default to `global.smtp`. */
export const EmailConfigSchema = z.strictObject({
  /** Recipient(s). */
  to: z.union([emailAddress, z.array(emailAddress).min(1)]).describe('Recipient address or addresses.'),
  /** Sender. @default - `global.smtp.from` */
  from: emailAddress.optional().describe('Sender address. Default: global.smtp.from.'),
  /** SMTP server `host:port`. @default - `global.smtp.smarthost` */
  smarthost: hostPort.optional().describe('SMTP server host:port. Default: global.smtp.smarthost.'),
  /** SMTP user. @default - `global.smtp.authUsername` */
  authUsername: z.string().min(1).optional().describe('SMTP user. Default: global.smtp.authUsername.'),
  /** SMTP password, from a Secret. @default - `global.smtp.authPassword` */
  authPassword: SecretRefSchema.optional().describe('SMTP password (Secret reference) → auth_password_file. Default: global.smtp.authPassword.'),
  /** Require STARTTLS. @default - `global.smtp.requireTls` (true) */
  requireTls: z.boolean().optional().describe('Require STARTTLS. Default: global.smtp.requireTls (true).'),
  /** Subject header. @default - Alertmanager's `email.default.subject` */
  subject: template('Subject').optional(),
  /** HTML body. @default - Alertmanager's `email.default.html` */
  html: template('HTML body').optional(),
  /** Plain-text body. @default - none (HTML only) */
  text: template('Plain-text body').optional(),
  /** Also mail when resolved. @default false */
  sendResolved: sendResolved(false),
});

const SeverityMapSchema = z.strictObject({
  /** Alert label read. @default 'severity' */
  label: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).default('severity').describe('Alert label that carries the severity. Default "severity".'),
  /** Label value → PagerDuty severity. @default { critical: 'critical', warning: 'warning', info: 'info' } */
  map: z.record(z.string(), z.enum(PAGERDUTY_SEVERITIES)).default({ critical: 'critical', warning: 'warning', info: 'info' }).describe('Label value → PagerDuty severity. Default { critical: "critical", warning: "warning", info: "info" }.'),
  /** PagerDuty severity for any other value. @default 'error' */
  fallback: z.enum(PAGERDUTY_SEVERITIES).default('error').describe('PagerDuty severity for other values. Default "error".'),
});

/** PagerDuty Events API v2. */
export const PagerDutyConfigSchema = z.strictObject({
  /** Events API v2 integration (routing) key, from a Secret. */
  routingKey: SecretRefSchema.describe('Events API v2 routing key (Secret reference) → routing_key_file.'),
  /**
   * Incident severity: a fixed PagerDuty severity, or a mapping from an alert label.
   * @default - mapped from the `severity` label: critical→critical, warning→warning, info→info, else error
   */
  severity: z.union([z.enum(PAGERDUTY_SEVERITIES), SeverityMapSchema]).default({ label: 'severity', map: { critical: 'critical', warning: 'warning', info: 'info' }, fallback: 'error' }).describe('Fixed PagerDuty severity or { label, map, fallback }. Default: from the severity label.'),
  /** Incident summary. @default - Alertmanager's `pagerduty.default.description` */
  description: template('Incident summary').optional(),
  /** Source shown in PagerDuty. @default - the client name */
  source: template('Source').optional(),
  /** Component. @default - none */
  component: template('Component').optional(),
  /** Logical group. @default - none */
  group: template('Group').optional(),
  /** Class. @default - none */
  class: template('Class').optional(),
  /** Client name. @default - Alertmanager's default */
  client: template('Client name').optional(),
  /** Link back to the alert source. @default - Alertmanager's external URL */
  clientUrl: template('Client URL').optional(),
  /** Extra custom details, merged with Alertmanager's defaults. @default {} */
  details: z.record(z.string().regex(/^[a-zA-Z0-9_.-]+$/), z.string()).default({}).describe('Custom details (templates). Default none (Alertmanager adds firing/resolved counts).'),
  /** Links attached to the incident, e.g. a runbook. @default [] */
  links: z.array(z.strictObject({ href: z.string().min(1), text: z.string().min(1) })).default([]).describe('Links attached to the incident. Default none.'),
  /** Events API endpoint, e.g. the EU one. @default - https://events.pagerduty.com/v2/enqueue */
  url: httpUrl.optional().describe('Events API URL, e.g. https://events.eu.pagerduty.com/v2/enqueue. Default: the US endpoint.'),
  /** Resolve the incident when the alert resolves. @default true */
  sendResolved: sendResolved(true),
});

/** Generic webhook: Alertmanager POSTs its JSON payload (version 4). */
export const WebhookConfigSchema = z.strictObject({
  /** Endpoint URL, from a Secret (URLs often carry a token). Alertmanager ≥ 0.28 for `url_file`. */
  url: SecretRefSchema.describe('Endpoint URL (Secret reference) → url_file. Alertmanager >= 0.28.'),
  /** Bearer token sent as `Authorization: Bearer`, from a Secret. @default - none */
  bearerToken: SecretRefSchema.optional().describe('Bearer token (Secret reference) → http_config.authorization.credentials_file. Default none.'),
  /** Most alerts per request; 0 sends all. @default 0 */
  maxAlerts: z.number().int().min(0).default(0).describe('Most alerts per request; 0 sends all. Default 0.'),
  /** Also POST when resolved. @default true */
  sendResolved: sendResolved(true),
});

/** Discord channel webhook. */
export const DiscordConfigSchema = z.strictObject({
  /** Channel webhook URL, from a Secret. Alertmanager ≥ 0.28 for `webhook_url_file`. */
  webhookUrl: SecretRefSchema.describe('Discord webhook URL (Secret reference) → webhook_url_file. Alertmanager >= 0.28.'),
  /** Embed title. @default - Alertmanager's `discord.default.title` */
  title: template('Embed title').optional(),
  /** Embed text. @default - Alertmanager's `discord.default.message` */
  message: template('Embed text').optional(),
  /** Also post when resolved. @default true */
  sendResolved: sendResolved(true),
});

/** Microsoft Teams through a Workflows webhook (`msteamsv2_configs`; the old connectors are retired). */
export const MsTeamsConfigSchema = z.strictObject({
  /** Workflows webhook URL, from a Secret. Alertmanager ≥ 0.28. */
  webhookUrl: SecretRefSchema.describe('Teams Workflows webhook URL (Secret reference) → msteamsv2_configs.webhook_url_file. Alertmanager >= 0.28.'),
  /** Card title. @default - Alertmanager's `msteamsv2.default.title` */
  title: template('Card title').optional(),
  /** Card text. @default - Alertmanager's `msteamsv2.default.text` */
  text: template('Card text').optional(),
  /** Also post when resolved. @default true */
  sendResolved: sendResolved(true),
});

/** Receiver names: also used on the amtool command line, so no spaces or commas. */
export const receiverName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected a receiver name: letters, digits, "-", "_" and ".", e.g. "slack-critical"')
  .max(100);

const ReceiverObjectSchema = z.strictObject({
  /** Unique name routes refer to. */
  name: receiverName.describe('Unique receiver name; routes refer to it.'),
  /**
   * Deliver nothing, on purpose (a "null receiver"); a receiver with no integration must say so.
   * @default false
   */
  discard: z.boolean().default(false).describe('Deliver nothing, on purpose (a null receiver). Default false.'),
  /** @default [] */
  slack: z.array(SlackConfigSchema).default([]).describe('Slack messages. Default none.'),
  /** @default [] */
  email: z.array(EmailConfigSchema).default([]).describe('Emails. Default none.'),
  /** @default [] */
  pagerduty: z.array(PagerDutyConfigSchema).default([]).describe('PagerDuty incidents. Default none.'),
  /** @default [] */
  webhook: z.array(WebhookConfigSchema).default([]).describe('Generic webhooks. Default none.'),
  /** @default [] */
  discord: z.array(DiscordConfigSchema).default([]).describe('Discord messages. Default none.'),
  /** @default [] */
  msteams: z.array(MsTeamsConfigSchema).default([]).describe('Microsoft Teams (Workflows) cards. Default none.'),
});

type ReceiverObjectInput = z.input<typeof ReceiverObjectSchema>;

/** One receiver: a name and its integrations. Inline secrets are rejected naming the receiver. */
export const ReceiverSchema = z.preprocess((raw: ReceiverObjectInput, ctx) => {
  if (raw && typeof raw === 'object') {
    const name = typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : '?';
    reportInlineSecrets(raw, `receiver "${name}"`, ctx);
  }
  return raw;
}, ReceiverObjectSchema).describe('A receiver: a unique name and its integrations (Slack, email, PagerDuty, webhook, Discord, Teams).');

export type ReceiverInput = z.input<typeof ReceiverSchema>;
export type Receiver = z.output<typeof ReceiverSchema>;
export type SlackConfig = z.output<typeof SlackConfigSchema>;
export type EmailConfig = z.output<typeof EmailConfigSchema>;
export type PagerDutyConfig = z.output<typeof PagerDutyConfigSchema>;
export type WebhookConfig = z.output<typeof WebhookConfigSchema>;
export type DiscordConfig = z.output<typeof DiscordConfigSchema>;
export type MsTeamsConfig = z.output<typeof MsTeamsConfigSchema>;

/** Number of integrations a receiver delivers to. */
export function integrationCount(r: Receiver): number {
  return INTEGRATION_KINDS.reduce((n, k) => n + r[k].length, 0);
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** What receiver rendering needs from the configuration renderer. */
export interface ReceiverRenderContext {
  /** Records a Secret key the config reads and returns the file path to write. */
  secretFile(ref: SecretRef): string;
  /** Records an Alertmanager feature the config uses (checked against the target version). */
  feature(name: string): void;
}

function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) obj[key] = value;
}

/** PagerDuty `severity` template for a label mapping. */
export function pagerDutySeverityTemplate(sev: PagerDutyConfig['severity']): string {
  if (typeof sev === 'string') return sev;
  const entries = Object.entries(sev.map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!entries.length) return sev.fallback;
  const label = `.CommonLabels.${sev.label}`;
  const branches = entries.map(([value, pd], i) => `{{ ${i === 0 ? 'if' : 'else if'} eq ${label} ${JSON.stringify(value)} }}${pd}`);
  return `${branches.join('')}{{ else }}${sev.fallback}{{ end }}`;
}

function renderSlack(c: SlackConfig, ctx: ReceiverRenderContext): Record<string, unknown> {
  const o: Record<string, unknown> = { send_resolved: c.sendResolved };
  if (c.apiUrl) {
    ctx.feature('slack_configs.api_url_file');
    o.api_url_file = ctx.secretFile(c.apiUrl);
  }
  if (c.botToken) {
    ctx.feature('slack_configs.app_token_file');
    o.app_token_file = ctx.secretFile(c.botToken);
  }
  put(o, 'channel', c.channel);
  put(o, 'username', c.username);
  put(o, 'icon_emoji', c.iconEmoji);
  put(o, 'color', c.color);
  put(o, 'title', c.title);
  put(o, 'title_link', c.titleLink);
  put(o, 'text', c.text);
  return o;
}

function renderEmail(c: EmailConfig, ctx: ReceiverRenderContext): Record<string, unknown> {
  const o: Record<string, unknown> = { send_resolved: c.sendResolved, to: Array.isArray(c.to) ? c.to.join(', ') : c.to };
  put(o, 'from', c.from);
  put(o, 'smarthost', c.smarthost);
  put(o, 'auth_username', c.authUsername);
  if (c.authPassword) {
    ctx.feature('email_configs.auth_password_file');
    o.auth_password_file = ctx.secretFile(c.authPassword);
  }
  put(o, 'require_tls', c.requireTls);
  if (c.subject) o.headers = { Subject: c.subject };
  put(o, 'html', c.html);
  put(o, 'text', c.text);
  return o;
}

function renderPagerDuty(c: PagerDutyConfig, ctx: ReceiverRenderContext): Record<string, unknown> {
  ctx.feature('pagerduty_configs.routing_key_file');
  const o: Record<string, unknown> = { send_resolved: c.sendResolved, routing_key_file: ctx.secretFile(c.routingKey) };
  put(o, 'url', c.url);
  o.severity = pagerDutySeverityTemplate(c.severity);
  put(o, 'description', c.description);
  put(o, 'source', c.source);
  put(o, 'component', c.component);
  put(o, 'group', c.group);
  put(o, 'class', c.class);
  put(o, 'client', c.client);
  put(o, 'client_url', c.clientUrl);
  if (Object.keys(c.details).length) o.details = Object.fromEntries(Object.entries(c.details).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (c.links.length) o.links = c.links.map((l) => ({ href: l.href, text: l.text }));
  return o;
}

function renderWebhook(c: WebhookConfig, ctx: ReceiverRenderContext): Record<string, unknown> {
  ctx.feature('webhook_configs.url_file');
  const o: Record<string, unknown> = { send_resolved: c.sendResolved, url_file: ctx.secretFile(c.url) };
  if (c.maxAlerts) o.max_alerts = c.maxAlerts;
  if (c.bearerToken) {
    ctx.feature('http_config.authorization.credentials_file');
    o.http_config = { authorization: { type: 'Bearer', credentials_file: ctx.secretFile(c.bearerToken) } };
  }
  return o;
}

function renderDiscord(c: DiscordConfig, ctx: ReceiverRenderContext): Record<string, unknown> {
  ctx.feature('discord_configs.webhook_url_file');
  const o: Record<string, unknown> = { send_resolved: c.sendResolved, webhook_url_file: ctx.secretFile(c.webhookUrl) };
  put(o, 'title', c.title);
  put(o, 'message', c.message);
  return o;
}

function renderMsTeams(c: MsTeamsConfig, ctx: ReceiverRenderContext): Record<string, unknown> {
  ctx.feature('msteamsv2_configs.webhook_url_file');
  const o: Record<string, unknown> = { send_resolved: c.sendResolved, webhook_url_file: ctx.secretFile(c.webhookUrl) };
  put(o, 'title', c.title);
  put(o, 'text', c.text);
  return o;
}

/** One receiver as an `alertmanager.yml` `receivers[]` entry. */
export function renderReceiver(r: Receiver, ctx: ReceiverRenderContext): Record<string, unknown> {
  const o: Record<string, unknown> = { name: r.name };
  if (r.discord.length) o.discord_configs = r.discord.map((c) => renderDiscord(c, ctx));
  if (r.email.length) o.email_configs = r.email.map((c) => renderEmail(c, ctx));
  if (r.msteams.length) o.msteamsv2_configs = r.msteams.map((c) => renderMsTeams(c, ctx));
  if (r.pagerduty.length) o.pagerduty_configs = r.pagerduty.map((c) => renderPagerDuty(c, ctx));
  if (r.slack.length) o.slack_configs = r.slack.map((c) => renderSlack(c, ctx));
  if (r.webhook.length) o.webhook_configs = r.webhook.map((c) => renderWebhook(c, ctx));
  return o;
}
