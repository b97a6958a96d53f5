import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The output files of a directory (`*.k8s.yaml`), by name in apply order; empty when the directory does not exist. */
export function readOutputFiles(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/**
 * How a committed output differs from a fresh one, one line per file, in file order; empty when they
 * are the same byte for byte. A changed file names its first differing line, committed → fresh.
 */
export function outputDifferences(committed: Readonly<Record<string, string>>, fresh: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const f of [...new Set([...Object.keys(committed), ...Object.keys(fresh)])].sort()) {
    if (!(f in fresh)) out.push(`${f}: no longer produced`);
    else if (!(f in committed)) out.push(`${f}: new, not committed`);
    else if (committed[f] !== fresh[f]) {
      const a = committed[f].split('\n');
      const b = fresh[f].split('\n');
      const i = a.findIndex((l, n) => l !== b[n]);
      const line = i < 0 ? a.length : i;
      out.push(`${f}: differs from line ${line + 1}: ${JSON.stringify(a[line] ?? '(end)')} → ${JSON.stringify(b[line] ?? '(end)')}`);
    }
  }
  return out;
}

/** What `npm run dist:check` prints when dist/ is stale. */
export function staleMessage(dir: string, differences: readonly string[]): string {
  return [
    `${dir}/ is stale: it is not what the current code synthesizes.`,
    ...differences.map((d) => `  ${dir}/${d}`),
    '',
    'Fix: run "npm run synth" (or "npm run test:update"), review the diff and commit it.',
    '',
  ].join('\n');
}
