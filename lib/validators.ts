import { z } from 'zod';
import { durationSeconds } from './duration';
import { secretLikeReason, urlHasUserinfo } from './secrets';

/**
 * Reusable zod field types for the stack configuration. Each carries a message that says what to
 * write instead, because the message is what a user sees when synth fails.
 */

/** A DNS-1123 label: the shape Kubernetes requires for names of Services, Deployments, Namespaces. */
export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a DNS-1123 label: lower-case letters, digits and "-", e.g. "idkarr-api"')
  .max(63, 'expected at most 63 characters (a DNS-1123 label)');

/** The longest duration Go represents: math.MaxInt64 nanoseconds (time.Duration, and Prometheus' model.Duration). */
export const MAX_GO_DURATION_SECONDS = 9223372036.854775;

/** A Prometheus duration such as `30s`, `5m`, `1h30m`, `15d`. */
export const promDuration = z
  .string()
  .regex(/^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/, 'expected a Prometheus duration such as "30s", "5m", "15d"')
  .refine((s) => s.length > 0 && s !== '0', 'expected a non-empty Prometheus duration such as "30s"')
  // Go keeps durations in int64 nanoseconds: Prometheus' model.ParseDuration and Go's
  // time.ParseDuration refuse anything longer (about 292 years), so the program would not start.
  // The empty string matches the pattern's all-optional parts but is no duration (reported above).
  .refine((s) => s === '' || !/^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/.test(s) || durationSeconds(s) <= MAX_GO_DURATION_SECONDS, {
    message: `expected a duration below ${Math.floor(MAX_GO_DURATION_SECONDS / 3600)}h (about 292 years): Go programs keep durations in int64 nanoseconds and refuse longer ones`,
  });

/** A duration that must not be zero (a retention or TTL of zero keeps nothing, a wait of zero decides at once). */
export const positiveDuration = promDuration.refine((s) => s === '' || !/^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/.test(s) || durationSeconds(s) > 0, 'expected a duration above zero, e.g. "7d"');

/** A Kubernetes resource quantity such as `100m`, `256Mi`, `10Gi`. */
export const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, 'expected a Kubernetes quantity such as "100m", "256Mi" or "10Gi"');

/**
 * A quantity of bytes (memory, volume sizes): a whole number of bytes. `512m` is 0.512 bytes, which
 * Kubernetes accepts with a warning and rounds up to one byte, so the container cannot start.
 */
export const byteQuantity = quantity.refine((q) => {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) return true; // reported by the pattern above
  const factor = m[2] === 'm' ? 1e-3 : BYTE_UNITS[m[2] ?? ''];
  const bytes = Number(m[1]) * factor;
  return Number.isInteger(Math.round(bytes * 1e6) / 1e6) && bytes >= 1;
}, 'expected a whole number of bytes such as "512Mi" or "1Gi": the suffix "m" means thousandths ("512m" is half a byte), so write "Mi" (mebibytes) or "M" (megabytes)');

/** A Prometheus byte size such as `8GB` or `512MB` (the unit the `--storage.tsdb.retention.size` flag takes). */
export const promBytes = z
  .string()
  .regex(/^\d+(B|KB|MB|GB|TB|PB)$/, 'expected a size with a unit Prometheus accepts: B, KB, MB, GB, TB or PB, e.g. "8GB"');

/** A Prometheus label name. */
export const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name: letters, digits and "_", not starting with a digit');

/** An absolute HTTP(S) URL. */
export const httpUrl = z.string().regex(/^https?:\/\/[^\s/$.?#][^\s]*$/, 'expected an absolute http:// or https:// URL');

/**
 * An absolute HTTP(S) URL that is written into the generated configuration, so it carries no
 * credential: no `user:password@`, no token or secret in its query string (lib/secrets.ts). The
 * message never repeats the value.
 */
export function publicHttpUrl(fix: string) {
  return httpUrl.superRefine((u, ctx) => {
    const reason = urlHasUserinfo(u) ? 'user information (user:password@)' : secretLikeReason(u);
    if (reason) ctx.addIssue({ code: 'custom', message: `holds a credential (${reason}), which would be written in clear text into dist/; ${fix}` });
  });
}

/** A reference to one key of a Kubernetes Secret that the user creates; the value never enters `dist/`. */
export const secretKeyRef = z.strictObject({
  /** Name of the Secret, in the namespace of the component that reads it. */
  name: dnsLabel.describe('Name of the Secret (created by you, in the component\'s namespace).'),
  /** Key inside the Secret. */
  key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'expected a Secret key: letters, digits, "-", "_" and "."').describe('Key inside the Secret.'),
}, { error: 'expected a Secret reference { name, key }: create the Secret with `kubectl create secret generic <name> --from-literal=<key>=...` and never write the value itself into the configuration' });
export type SecretKeyRef = z.output<typeof secretKeyRef>;

/** The file a Secret key mounted under `dir` appears at (`<dir>/<secret>/<key>`): what `*_file` settings read. */
export function secretFilePath(dir: string, ref: { readonly name: string; readonly key: string }): string {
  return `${dir}/${ref.name}/${ref.key}`;
}

/** Container resources: requests for scheduling and a memory limit (no CPU limit: throttling hurts scrape latency more than it protects). */
export const resources = z.strictObject({
  requests: z.strictObject({
    cpu: quantity.describe('CPU request.'),
    memory: byteQuantity.describe('Memory request.'),
  }),
  limits: z.strictObject({
    memory: byteQuantity.describe('Memory limit; the container is OOM-killed above it.'),
  }),
});
export type Resources = z.output<typeof resources>;

const BYTE_UNITS: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
  B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50,
};

/** Bytes in a Kubernetes quantity (`10Gi`) or a Prometheus size (`8GB`, powers of two as Prometheus reads it). */
export function bytesOf(size: string): number {
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(size);
  if (!m || !(m[2] in BYTE_UNITS)) throw new Error(`cannot read size "${size}"`);
  return Number(m[1]) * BYTE_UNITS[m[2]];
}

/** Millicores in a CPU quantity (`100m`, `1`, `0.5`). */
export function millicoresOf(cpu: string): number {
  return cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
}

/** Adds an issue for every name used twice in a list of named items (names end up in object names and labels). */
export function uniqueNames(items: ReadonlyArray<{ name: string }>, path: (string | number)[], ctx: z.RefinementCtx, relativeTo: (string | number)[] = path): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.name);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [...relativeTo, i, 'name'], message: `duplicate name "${item.name}" (also at ${[...path, first].join('.')}); names must be unique` });
    }
    seen.set(item.name, i);
  });
}

/** A configuration list of named items (`postgres: [{ name, ... }]`), empty by default, names unique. */
export function namedList<T extends z.ZodType<{ name: string }>>(item: T, key: string) {
  return z.array(item).default([]).superRefine((items, ctx) => uniqueNames(items, [key], ctx, []));
}
