import { z } from 'zod';
import { secretLikeReason } from '../alerts/routing/receivers';
import { urlHasUserinfo } from '../lib/secrets';
import type { StackComponent } from './component';
import { STACK_COMPONENTS } from './components';
import { StackConfig, StackConfigInput, StackConfigSchema, retentionSizeFor } from './config';

/**
 * Profiles are named presets applied underneath the user's configuration. `homelab` is the schema's
 * own defaults (one replica of everything, small requests: the stack fits a 2-CPU / 4-GiB node next
 * to the apps it watches). `production` adds redundancy and room.
 */
export const PROFILES: Record<StackConfig['profile'], StackConfigInput> = {
  homelab: {},
  production: {
    spread: 'preferred',
    prometheus: {
      replicas: 2,
      // retentionSize follows the volume: 80GB (see withRetentionSize).
      storage: { size: '100Gi' },
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
    },
    alertmanager: {
      replicas: 3,
      storage: { size: '2Gi' },
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    },
    kubeStateMetrics: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } } },
    blackboxExporter: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } },
    grafana: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } } },
    loki: {
      storage: { size: '50Gi' },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
    },
    logs: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '384Mi' } } },
    jaeger: {
      storage: { size: '20Gi' },
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    },
    otelCollector: { resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '1Gi' } } },
  },
};

/** Raised for configuration that cannot be synthesized; the message names every bad field. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid Vigil configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Applies the profile and the schema's defaults to what the user wrote and validates the result.
 * Objects merge; arrays and scalars from the user replace the profile's.
 */
export function resolveConfig(input: StackConfigInput = {}, components: readonly StackComponent[] = STACK_COMPONENTS): StackConfig {
  return resolveConfigInput(input, components).config;
}

/**
 * {@link resolveConfig}, also returning what the user wrote with the profile underneath (no defaults
 * applied): the sections the stack hands to each component's construct, which applies its own defaults.
 */
export function resolveConfigInput(input: StackConfigInput = {}, components: readonly StackComponent[] = STACK_COMPONENTS): { config: StackConfig; input: StackConfigInput } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError([`(root): expected the configuration object, e.g. { profile: 'homelab' }, got ${input === null ? 'null' : Array.isArray(input) ? 'a list' : typeof input}`]);
  }
  const profileName = input.profile ?? 'homelab';
  const profile = PROFILES[profileName as StackConfig['profile']];
  if (!profile) {
    throw new ConfigError([`profile: expected one of ${Object.keys(PROFILES).map((p) => `"${p}"`).join(', ')}, got ${JSON.stringify(profileName)}`]);
  }
  const merged = withRetentionSize(deepMerge(profile, input));
  const result = StackConfigSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, input)));
  checkJobNames(result.data, components);
  return { config: result.data, input: merged };
}

/**
 * Prometheus' retention size follows its volume when the configuration sets the volume and not the
 * size: 80% of it (charts/config.ts `retentionSizeFor`), so a smaller or larger volume never needs a
 * second edit, and a size that does not fit is only ever one the user wrote.
 */
function withRetentionSize(merged: StackConfigInput): StackConfigInput {
  const p = merged.prometheus;
  if (!isPlainObject(p) || p.retentionSize !== undefined || !isPlainObject(p.storage) || typeof p.storage.size !== 'string') return merged;
  let retentionSize: string;
  try {
    retentionSize = retentionSizeFor(p.storage.size);
  } catch {
    return merged; // the size does not read: its own field reports it
  }
  return { ...merged, prometheus: { ...p, retentionSize } };
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(root)';
  let message = issue.message;
  // A record key that failed its own check: zod 4 wraps the check's messages in "Invalid key in record".
  if (issue.code === 'invalid_key' && issue.issues.length) message = issue.issues.map((i) => i.message).join('; ');
  // zod's own text for unknown keys ("Unrecognized key(s) ...") gets the option table; a schema's
  // own message for them (the root route's matchers) is kept.
  if (issue.code === 'unrecognized_keys' && /^Unrecognized key/.test(issue.message)) {
    message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against the option table in docs/configuration.md`;
  }
  const got = valueAt(input, issue.path);
  const shown = got === undefined || issue.code === 'unrecognized_keys' || !mayEcho(issue.path, got) ? '' : ` (got ${JSON.stringify(got)})`;
  return `${where}: ${message}${shown}`;
}

/** Sections every value of which stays out of messages: notification receivers and remote write. */
const SECRET_SECTIONS = new Set(['receivers', 'remoteWrite']);

/**
 * Whether a rejected value may be repeated in the message. A configuration error goes to a terminal
 * and into CI logs, so the answer is decided by the field's type, not guessed from its name: never a
 * value given where a Secret reference belongs, nor any value inside an object that holds a Secret
 * reference (an auth block: basic auth, a database, OAuth, LDAP, an exporter's connection), nor
 * anything under a receiver or a remote-write endpoint; never an object or a list (it may hold any of
 * those), and never a string that looks like a secret (a webhook or ping URL, a URL with a password).
 */
function mayEcho(path: readonly PropertyKey[], value: unknown): boolean {
  if (value === null || typeof value === 'object') return false;
  // A token as the user of a URL (`https://<token>@host`) is no password to the patterns, but a secret.
  if (typeof value === 'string' && (secretLikeReason(value) || urlHasUserinfo(value))) return false;
  if (path.some((p) => typeof p === 'string' && (SECRET_SECTIONS.has(p) || /pass|token|secret|key|credential|auth/i.test(p)))) return false;
  let level: SchemaNode[] = [StackConfigSchema as unknown as SchemaNode];
  for (const step of path) {
    if (level.some((s) => isSecretRef(s) || holdsSecretRef(s))) return false;
    level = level.flatMap((s) => childSchemas(s, step));
    if (level.length === 0) return false; // a path the schema does not know: say nothing
  }
  return !level.some(isSecretRef);
}

/** The part of a zod 4 schema's definition the walk reads. */
interface SchemaNode {
  readonly _zod: { readonly def: { readonly type: string } & Record<string, unknown> };
}

/** The concrete schemas behind wrappers (optional, default, preprocess, lazy) and union options. */
function concrete(s: SchemaNode, depth = 0): SchemaNode[] {
  const def = s._zod.def;
  if (depth > 20) return [];
  switch (def.type) {
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      return concrete(def.innerType as SchemaNode, depth + 1);
    case 'pipe':
      return [def.in as SchemaNode, def.out as SchemaNode].filter((x) => x._zod.def.type !== 'transform').flatMap((x) => concrete(x, depth + 1));
    case 'lazy':
      return concrete((def.getter as () => SchemaNode)(), depth + 1);
    case 'union':
      return (def.options as SchemaNode[]).flatMap((o) => concrete(o, depth + 1));
    default:
      return [s];
  }
}

function childSchemas(s: SchemaNode, step: PropertyKey): SchemaNode[] {
  return concrete(s).flatMap((c) => {
    const def = c._zod.def;
    if (def.type === 'object') {
      const child = (def.shape as Record<string, SchemaNode>)[String(step)];
      return child ? [child] : [];
    }
    if (def.type === 'array' && typeof step === 'number') return [def.element as SchemaNode];
    if (def.type === 'record' && typeof step === 'string') return [def.valueType as SchemaNode];
    return [];
  });
}

/** A Secret reference `{ name, key }` (lib/validators `secretKeyRef`, the receivers' `SecretRefSchema`). */
function isSecretRef(s: SchemaNode): boolean {
  return concrete(s).some((c) => c._zod.def.type === 'object' && Object.keys(c._zod.def.shape as object).sort().join(',') === 'key,name');
}

/** An object with a Secret reference among its fields: an auth block. */
function holdsSecretRef(s: SchemaNode): boolean {
  return concrete(s).some((c) => c._zod.def.type === 'object' && Object.values(c._zod.def.shape as Record<string, SchemaNode>).some(isSecretRef));
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge of plain objects; `over` wins, arrays are replaced, not concatenated. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

/** A typed scrape target may not take a job name a component uses. */
function checkJobNames(c: StackConfig, components: readonly StackComponent[]): void {
  const reserved = new Set(components.flatMap((k) => k.jobNames ?? []));
  const problems = c.scrapeTargets.flatMap((t, i) => (reserved.has(t.name)
    ? [`scrapeTargets[${i}].name: "${t.name}" is the name of a built-in job; choose another name (built-in: ${[...reserved].sort().join(', ')})`]
    : []));
  if (problems.length) throw new ConfigError(problems);
}
