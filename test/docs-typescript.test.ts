import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StackConfigSchema } from '../charts/config';
import { run } from './helpers/run';

/**
 * Every TypeScript block of README.md and docs/*.md type-checks against the code: a block is what a
 * reader copies, so an import of a name a module does not export, or an option that does not exist,
 * must fail here and not on the reader's machine. Each block becomes a file in a temporary directory
 * inside the repository; `vigil` resolves to the package entry (index.ts, as `npm install vigil` would
 * give it) and relative imports resolve from the page's own directory. One `tsc` run checks them all.
 *
 * A block that shows a part of the configuration (`alerting: { ... }`, `grafana: { ... }`, or a
 * routing section such as `heartbeat: { ... }`) is checked as that part of a `StackConfigInput` or a
 * `RoutingConfigInput`, so its option names and values are checked too. A block that is a fragment
 * of something else (a snippet continuing the previous block) says so on its first line with
 * `// fragment`; keep that rare.
 */

/** Top-level keys of the stack configuration and of the routing: a block starting with one is a part of that object. */
const STACK_KEYS = Object.keys((StackConfigSchema as unknown as { shape: Record<string, unknown> }).shape);
const ROUTING_KEYS = ['global', 'receivers', 'route', 'inhibitRules', 'timeIntervals', 'templates', 'heartbeat'];

/** The block as a module: configuration parts wrapped in the object they belong to, after the block's imports. */
function asModule(code: string): string {
  const lines = code.split('\n');
  let k = 0;
  while (k < lines.length && (/^\s*(import\b.*|\/\/.*)?$/.test(lines[k]))) k++;
  const head = lines.slice(0, k).join('\n');
  const rest = lines.slice(k).join('\n');
  const first = /^\s*([A-Za-z_$][\w$]*)\s*:/.exec(rest)?.[1];
  const body = rest.replace(/,?\s*$/, '');
  if (first && STACK_KEYS.includes(first)) return `import type { StackConfigInput } from 'vigil';\n${head}\nexport const part: StackConfigInput = {\n${body}\n};\n`;
  if (first && ROUTING_KEYS.includes(first)) return `import type { RoutingConfigInput } from 'vigil';\n${head}\nexport const part: RoutingConfigInput = {\n${body}\n};\n`;
  return `${code}\nexport {};\n`;
}

const ROOT = resolve(__dirname, '..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

interface Block {
  readonly page: string;
  readonly line: number;
  readonly code: string;
}

/** The ```ts / ```typescript blocks of a Markdown page, with the line each starts at. */
function typescriptBlocks(page: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```|~~~)\s*(ts|typescript)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${open[2]}\\s*$`).test(lines[j]); j++) body.push(lines[j].slice(Math.min(indent, /^\s*/.exec(lines[j])![0].length)));
    blocks.push({ page, line: i + 1, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

const blocks = PAGES.flatMap((p) => typescriptBlocks(p, readFileSync(join(ROOT, p), 'utf8')));
const checked = blocks.filter((b) => !/^\s*\/\/ fragment\b/.test(b.code));

describe('TypeScript in README.md and docs/', () => {
  const dir = mkdtempSync(join(ROOT, '.docs-typecheck-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the blocks, and few are fragments', () => {
    expect(blocks.length).toBeGreaterThan(20);
    expect(blocks.length - checked.length).toBeLessThanOrEqual(Math.ceil(blocks.length / 4));
  });

  it('every block type-checks against the code (one tsc run)', () => {
    const files = checked.map((b, i) => {
      const name = `${b.page.replace(/[^a-zA-Z0-9]+/g, '_')}_L${b.line}_${i}.ts`;
      // Relative imports in the pages are written from the repository root, where the reader runs
      // them (`./alerts/routing`, `./index`), or from the page's directory (`../alerts`): point them
      // at the same files from here.
      const exists = (p: string) => ['.ts', '/index.ts', ''].some((ext) => existsSync(`${p}${ext}`));
      const homeOf = (spec: string) => (exists(resolve(ROOT, spec)) ? ROOT : dirname(join(ROOT, b.page)));
      const code = b.code.replace(/(from\s+|import\s*\(\s*|import\s+)(['"])(\.{1,2}\/[^'"]+)\2/g, (_, kw: string, q: string, spec: string) => {
        let rel = relative(dir, resolve(homeOf(spec), spec));
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return `${kw}${q}${rel}${q}`;
      });
      // A block is a module of its own, so its top-level names do not collide with another block's.
      const module = asModule(code);
      writeFileSync(join(dir, name), module);
      // Wrapping adds two lines above the block's own (the type import and the declaration).
      return { name, block: b, offset: module === `${code}\nexport {};\n` ? 0 : 2 };
    });
    // The context a page's snippet runs in, by the names the pages use for it: the cdk8s App, the
    // stack configuration, a stack; and the application-side packages of docs/logs-and-traces.md (an
    // app's tracing and logging setup, not dependencies of this package), typed loosely.
    writeFileSync(join(dir, 'context.d.ts'), [
      "import type { App } from 'cdk8s';",
      "import type { StackConfigInput, VigilStack } from 'vigil';",
      `import type { MetricCatalogue } from '${relative(dir, join(ROOT, 'alerts', 'metric-catalogue'))}';`,
      'declare global {',
      '  const app: App;',
      '  const config: StackConfigInput;',
      '  const stack: VigilStack;',
      '  const myApiCatalogue: MetricCatalogue;',
      '}',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'app-packages.d.ts'), ['@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/sampler-jaeger-remote', 'pino']
      .map((m) => `declare module '${m}';`).join('\n'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: relative(dir, join(ROOT, 'tsconfig.json')),
      compilerOptions: {
        baseUrl: '.',
        paths: { vigil: [relative(dir, join(ROOT, 'index.ts'))] },
        // Examples declare what they need to show the call, not every local they would use.
        noUnusedLocals: false,
        noUnusedParameters: false,
        noEmit: true,
      },
      // The package's own ambient declarations come with it (the SDK's subpath modules).
      include: ['*.ts', relative(dir, join(ROOT, 'dashboards', 'sdk-modules.d.ts'))],
    }, null, 2));
    mkdirSync(dir, { recursive: true });
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const r = run(tsc, ['-p', join(dir, 'tsconfig.json'), '--pretty', 'false']);
    // Map each error back to the page and line of its block.
    const errors = r.output.split('\n').filter((l) => /error TS\d+/.test(l)).map((l) => {
      const m = /^(?:.*\/)?([^/(]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(l);
      const f = m && files.find((x) => x.name === m[1]);
      return f && m ? `${f.block.page}:${f.block.line + Number(m[2]) - f.offset}: ${m[4]}` : l;
    });
    expect(errors).toEqual([]);
    expect(r.status).toBe(0);
  }, 120_000);
});
