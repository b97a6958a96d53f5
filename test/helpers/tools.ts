import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

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
};

/** Absolute path of an executable on PATH, or undefined when it is not installed. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // missing or not executable: keep looking
    }
  }
  return undefined;
}

/**
 * A `describe` block that needs a Debian binary. When the tool is missing the suite is skipped with a
 * loud message naming the apt package, except under CI=true where a missing tool is a failing test
 * (a CI run that silently skips the real-tool checks proves nothing).
 */
export function describeWithTool(name: string, title: string, fn: (toolPath: string) => void): void {
  const path = findTool(name);
  if (path) {
    describe(title, () => fn(path));
    return;
  }
  const pkg = APT_PACKAGE[name] ?? name;
  const message = `${name} is not installed: run scripts/install-tools.sh or "apt-get install ${pkg}"`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(`needs ${name}`, () => {
        throw new Error(message);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPED "${title}": ${message} ***\n`);
  describe.skip(title, () => fn(''));
}
