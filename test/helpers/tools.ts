import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describe, it } from 'vitest';

/**
 * Where scripts/install-tools.sh puts the programs it builds from tools/ at the exact versions
 * lib/images.ts pins (git-ignored). Resolved before PATH, so a test that names `promtool` runs
 * Prometheus 3.14's promtool when it is built and Debian's older one otherwise.
 */
export const PINNED_BIN = resolve(__dirname, '..', '..', '.tools', 'bin');

/** Debian package that ships each tool the tests call; named in the skip message. */
const APT_PACKAGE: Record<string, string> = {
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
  prometheus: 'prometheus',
  alertmanager: 'prometheus-alertmanager',
  'prometheus-blackbox-exporter': 'prometheus-blackbox-exporter',
  'prometheus-node-exporter': 'prometheus-node-exporter',
  'prometheus-postgres-exporter': 'prometheus-postgres-exporter',
  'prometheus-redis-exporter': 'prometheus-redis-exporter',
  'prometheus-mysqld-exporter': 'prometheus-mysqld-exporter',
  mariadbd: 'mariadb-server',
};

/** The programs tools/ builds, with what each is, for skip messages. */
const PINNED: Record<string, string> = {
  promtool: 'promtool of Prometheus 3.14.0',
  amtool: 'amtool of Alertmanager 0.34.0',
  jaeger: 'Jaeger v1.76.0 = 2.13.0, the stand-in for the pinned 2.20.0 (tools/jaeger/go.mod says why)',
  'otelcol-vigil': 'the OpenTelemetry Collector 0.158.0 (ocb build of tools/otelcol/manifest.yaml)',
  'alloy-syntax-check': "Alloy v1.18.1's syntax parser (tools/alloy-syntax)",
  'kube-apiserver': 'kube-apiserver 1.37.2',
  kubectl: 'kubectl 1.37.2',
  etcd: 'etcd 3.7.0',
};

function executable(candidate: string): boolean {
  try {
    accessSync(candidate, constants.X_OK);
    return statSync(candidate).isFile();
  } catch {
    return false; // missing or not executable
  }
}

/** The pinned build of a program in .tools/bin, or undefined when it has not been built. */
export function pinnedTool(name: string): string | undefined {
  const candidate = join(PINNED_BIN, name);
  return executable(candidate) ? candidate : undefined;
}

/** True when `path` is one of the pinned builds (not a Debian fallback). */
export function isPinned(path: string | undefined): boolean {
  return path !== undefined && resolve(path).startsWith(PINNED_BIN + '/');
}

/** Absolute path of a tool: the pinned build in .tools/bin first, then PATH; undefined when neither has it. */
export function findTool(name: string): string | undefined {
  const pinned = pinnedTool(name);
  if (pinned) return pinned;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

function missing(title: string, message: string, fn: () => void): void {
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(`needs: ${message}`, () => {
        throw new Error(message);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPED "${title}": ${message} ***\n`);
  describe.skip(title, fn);
}

/**
 * A `describe` block that needs a tool, pinned or Debian's. When the tool is missing the suite is
 * skipped with a loud message naming the apt package, except under CI=true where a missing tool is a
 * failing test (a CI run that silently skips the real-tool checks proves nothing).
 */
export function describeWithTool(name: string, title: string, fn: (toolPath: string) => void): void {
  const path = findTool(name);
  if (path) {
    describe(title, () => fn(path));
    return;
  }
  const pkg = APT_PACKAGE[name] ?? name;
  missing(title, `${name} is not installed: run scripts/install-tools.sh or "apt-get install ${pkg}"`, () => fn(''));
}

/**
 * A `describe` block that needs the pinned build of each named program (no Debian fallback exists or
 * makes sense). Missing: a loud skip, or a failing test under CI=true.
 */
export function describeWithPinned(names: readonly string[], title: string, fn: (paths: Record<string, string>) => void): void {
  const paths: Record<string, string> = {};
  const absent: string[] = [];
  for (const n of names) {
    const p = pinnedTool(n);
    if (p) paths[n] = p;
    else absent.push(n);
  }
  if (absent.length === 0) {
    describe(title, () => fn(paths));
    return;
  }
  const what = absent.map((n) => `${n} (${PINNED[n] ?? n})`).join(', ');
  missing(title, `not built: ${what}; run scripts/install-tools.sh (needs Go, see docs/testing.md)`, () => fn(paths));
}
