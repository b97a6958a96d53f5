import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Examples own their apps: everything about one example app (its dashboards and metric catalogue, its
 * routing, its runbooks) lives in examples/<app>/, and the library does not know the apps exist.
 * Examples use Vigil as any other cdk8s app would: through the package entry.
 */
const ROOT = resolve(__dirname, '..');
const APPS = ['idkarr', 'barbossa', 'canvascast', 'medianest'];
const APP_NAME = new RegExp(APPS.join('|'), 'i');

/**
 * Where an app may be named:
 * - examples/ (the apps themselves) and test/ (tests of the examples, fixtures built from them);
 * - README.md and docs/examples.md, whose job is to describe the examples.
 * Anything else (library code, shipped rule packs and their runbooks, generated output, other docs
 * pages) must not: a library that names an app has app knowledge to move into its example.
 */
const MAY_NAME_APPS = [/^examples\//, /^test\//, /^README\.md$/, /^docs\/examples\.md$/];

/**
 * Mentions that predate the move and sit in files this change did not own: doc comments and docs
 * pages that use an app's names as an illustration (`e.g. job="idkarr-api"`), and a shipped pack's
 * promtool fixture data. They carry no app knowledge, but they should be reworded; the number of
 * lines naming an app in each may only go down (lower it here when you reword one; remove the entry
 * at zero).
 */
const PENDING_REWORDING: Readonly<Record<string, number>> = {
  // Doc comments with an app as the example value.
  'alerts/packs/external-apis.ts': 1,
  'alerts/packs/http.ts': 3,
  'alerts/packs/queues.ts': 2,
  'alerts/slo.ts': 5,
  'charts/config-logs.ts': 1,
  'charts/config.ts': 2,
  'dashboards/uid.ts': 1,
  'dashboards/variables.ts': 1,
  'lib/redaction.ts': 1,
  'lib/validators.ts': 1,
  // The postgres pack's promtool cases use an app's database name as fixture data.
  'alerts/packs/postgres.ts': 14,
  // The benchmark lists the example apps it times.
  'scripts/bench.ts': 1,
  // Shipped packs' runbooks naming the app that first asked for the alert.
  'docs/runbooks/ExternalApiFailures.md': 1,
  'docs/runbooks/JobFailureRatio.md': 1,
  'docs/runbooks/QueueBacklog.md': 1,
  // Topic pages illustrating with an example's code or names (configuration.md is generated from
  // the schema's descriptions in charts/).
  'docs/alerting.md': 20,
  'docs/configuration.md': 11,
  'docs/development.md': 4,
  'docs/logs-and-traces.md': 5,
  'docs/routing.md': 4,
};

/** The repository's files: tracked and untracked-but-not-ignored when this is a git checkout. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter((f) => f && existsSync(join(ROOT, f)));
  } catch {
    const skip = new Set(['node_modules', '.git', '.tools', '.vitest-cache', 'build']);
    const walk = (dir: string): string[] => readdirSync(join(ROOT, dir)).flatMap((name) => {
      const rel = dir ? `${dir}/${name}` : name;
      if (skip.has(name) || name.startsWith('dist.')) return [];
      return statSync(join(ROOT, rel)).isDirectory() ? walk(rel) : [rel];
    });
    return walk('');
  }
}

/** Lines of a text that name an example app (the file name counts as one line). */
function appMentions(file: string, text: string): number {
  return (APP_NAME.test(file) ? 1 : 0) + text.split('\n').filter((l) => APP_NAME.test(l)).length;
}

/** Files outside the allowed places that name an app more often than allowed: `file: n lines (allowed m)`. */
function namingProblems(files: ReadonlyArray<{ file: string; text: string }>, pending: Readonly<Record<string, number>>): string[] {
  return files
    .filter(({ file }) => !MAY_NAME_APPS.some((re) => re.test(file)))
    .map(({ file, text }) => ({ file, n: appMentions(file, text), allowed: pending[file] ?? 0 }))
    .filter(({ n, allowed }) => n > allowed)
    .map(({ file, n, allowed }) => `${file}: ${n} line(s) name an example app (allowed ${allowed})`);
}

const TEXT = /\.(ts|mts|js|mjs|json|md|ya?ml|txt|sh|go|mod|tmpl)$|^[^.]+$/;

describe('the library names no example app', () => {
  it(`no file outside examples/ and test/ names ${APPS.join(', ')} (README.md and docs/examples.md describe the examples)`, () => {
    const files = repositoryFiles().filter((f) => TEXT.test(f.split('/').pop()!))
      .map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
    expect(files.length).toBeGreaterThan(50);
    expect(namingProblems(files, PENDING_REWORDING)).toEqual([]);
  });

  it('the check catches a library file, a file name and a new mention in a file pending rewording', () => {
    expect(namingProblems([
      { file: 'charts/prometheus.ts', text: 'const job = "IDKARR-api";' },
      { file: 'docs/runbooks/MedianestDown.md', text: '# Down' },
      { file: 'alerts/slo.ts', text: 'idkarr\n'.repeat(6) },
      { file: 'alerts/http.ts', text: 'job="shop-api"' },
      { file: 'examples/idkarr/main.ts', text: 'idkarr' },
      { file: 'docs/examples.md', text: 'idkarr' },
    ], { 'alerts/slo.ts': 5 })).toEqual([
      'charts/prometheus.ts: 1 line(s) name an example app (allowed 0)',
      'docs/runbooks/MedianestDown.md: 1 line(s) name an example app (allowed 0)',
      'alerts/slo.ts: 6 line(s) name an example app (allowed 5)',
    ]);
  });
});

/** Every module specifier a source imports or re-exports (static and dynamic imports, require). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const re of [/^\s*(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const m of text.matchAll(re)) found.push(m[1]);
  }
  return found;
}

const DEPENDENCIES = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies ?? {}));

/**
 * Why an example file's import is not allowed, or undefined: an example may import the package entry
 * (`../../index`), files of its own directory, examples/shared/ and the packages Vigil depends on
 * (e.g. `App` from cdk8s); examples/shared/ may import the entry and itself.
 */
function importProblem(file: string, spec: string): string | undefined {
  const app = relative(join(ROOT, 'examples'), file).split('/')[0];
  if (!spec.startsWith('.')) {
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    return DEPENDENCIES.has(pkg) ? undefined : `${spec}: not a dependency of Vigil`;
  }
  const target = relative(ROOT, resolve(dirname(file), spec)).replace(/\.ts$/, '');
  if (target === 'index') return undefined;
  if (target.startsWith(`examples/${app}/`) || target.startsWith('examples/shared/')) return undefined;
  return `${spec}: import Vigil from '../../index' (the package entry), or the example's own files or examples/shared/`;
}

function exampleSources(dir = join(ROOT, 'examples')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return exampleSources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('examples use Vigil through the package entry', () => {
  it('examples import nothing but ../../index, their own directory and examples/shared', () => {
    const files = exampleSources();
    expect(files.length).toBeGreaterThanOrEqual(APPS.length * 2);
    const problems = files.flatMap((f) => specifiers(readFileSync(f, 'utf8'))
      .map((s) => [s, importProblem(f, s)] as const)
      .filter(([, p]) => p)
      .map(([, p]) => `${relative(ROOT, f)}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('each example app owns its directory: main.ts, alerts, dashboards and routing', () => {
    for (const app of APPS) {
      for (const f of ['main.ts', 'alerts.ts', 'dashboards.ts', 'routing.ts']) expect(existsSync(join(ROOT, 'examples', app, f)), `examples/${app}/${f}`).toBe(true);
    }
  });

  it('the check refuses deep imports, another example and undeclared packages', () => {
    const f = join(ROOT, 'examples', 'idkarr', 'main.ts');
    expect(importProblem(f, '../../index')).toBeUndefined();
    expect(importProblem(f, './alerts')).toBeUndefined();
    expect(importProblem(f, '../shared/rule-tests')).toBeUndefined();
    expect(importProblem(f, 'cdk8s')).toBeUndefined();
    expect(importProblem(f, '../../charts/vigil-stack')).toMatch(/package entry/);
    expect(importProblem(f, '../../alerts/routing/routing-presets')).toMatch(/package entry/);
    expect(importProblem(f, '../medianest/dashboards')).toMatch(/package entry/);
    expect(importProblem(f, 'left-pad')).toMatch(/not a dependency/);
    expect(specifiers("import { a } from '../../index';\nimport type { B } from \"../x\";\nexport * from './y';\nconst z = require('../../lib/z');")).toEqual(['../../index', '../x', './y', '../../lib/z']);
  });
});
