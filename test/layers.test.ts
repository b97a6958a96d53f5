import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

/**
 * The layers, lowest first: a module may import its own layer or a lower one, never a higher one.
 * `alerts/routing` (Alertmanager routing) is its own module beside the rule model: neither imports the other.
 */
const LAYERS: Record<string, number> = {
  lib: 0,
  alerts: 1,
  'alerts/routing': 1,
  dashboards: 1,
  charts: 2,
  '.': 3,
  examples: 4,
};

function moduleOf(file: string): string {
  const rel = relative(ROOT, file);
  if (rel.startsWith('alerts/routing/')) return 'alerts/routing';
  const top = rel.split('/')[0];
  return rel.includes('/') ? top : '.';
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import of the library's own code: [importing module, imported module, file]. */
function edges(): Array<{ from: string; to: string; file: string; spec: string }> {
  const files = ['lib', 'alerts', 'dashboards', 'charts', 'examples'].flatMap((d) => sources(join(ROOT, d)))
    .concat(['index.ts', 'main.ts'].map((f) => join(ROOT, f)));
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/(?:from|import)\s*'(\.{1,2}\/[^']+)'/g)].map((m) => ({
      from: moduleOf(file), to: moduleOf(resolve(dirname(file), m[1])), file: relative(ROOT, file), spec: m[1],
    }));
  });
}

describe('module layers', () => {
  const all = edges();

  it('finds the imports it checks', () => {
    // A broken scanner would make every assertion below pass vacuously.
    expect(all.filter((e) => e.from === 'charts' && e.to === 'lib').length).toBeGreaterThan(10);
    expect(all.filter((e) => e.from === 'alerts' && e.to === 'lib').length).toBeGreaterThan(5);
  });

  it('no module imports a higher layer', () => {
    const upward = all.filter((e) => LAYERS[e.to] > LAYERS[e.from]).map((e) => `${e.file} imports ${e.spec} (${e.from} → ${e.to})`);
    expect(upward).toEqual([]);
  });

  it('modules of one layer do not import each other both ways', () => {
    const pairs = new Set(all.filter((e) => e.from !== e.to).map((e) => `${e.from}→${e.to}`));
    const cycles = [...pairs].filter((p) => {
      const [a, b] = p.split('→');
      return pairs.has(`${b}→${a}`);
    });
    expect(cycles).toEqual([]);
  });

  it('the rule model and Alertmanager routing share nothing but the lowest layer', () => {
    const crossing = all.filter((e) => (e.from === 'alerts' && e.to === 'alerts/routing') || (e.from === 'alerts/routing' && e.to === 'alerts'));
    expect(crossing.map((e) => `${e.file} imports ${e.spec}`)).toEqual([]);
  });
});
