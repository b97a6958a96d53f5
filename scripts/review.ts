import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isEmpty } from './review/safety';
import { parseObjects } from './review/objects';
import { renderReview, review } from './review/markdown';

/**
 * `npm run review -- --base <git-ref> [--dir dist] [--fail-on unsafe]`: compares the output committed
 * at <ref> (read with `git show <ref>:<dir>/<file>`, so the old tree is never built) with the
 * working tree's, and prints Markdown for a pull request. With `--fail-on unsafe`, exits 1 when the
 * Apply-safety section is not empty.
 */
export function parseArgs(argv: readonly string[]): { base: string; dir: string; failOnUnsafe: boolean } {
  let base = '';
  let dir = 'dist';
  let failOnUnsafe = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (flag === '--base') base = value();
    else if (flag === '--dir') dir = value().replace(/\/+$/, '');
    else if (flag === '--fail-on') {
      const v = value();
      if (v !== 'unsafe') throw new Error(`--fail-on takes "unsafe", not "${v}"`);
      failOnUnsafe = true;
    } else throw new Error(`unknown argument "${argv[i]}"; usage: npm run review -- --base <git-ref> [--dir dist] [--fail-on unsafe]`);
  }
  if (!base) throw new Error('--base <git-ref> is required (for example: npm run review -- --base main)');
  return { base, dir, failOnUnsafe };
}

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

function main(argv: string[]): number {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  let files: string[];
  try {
    files = git(['ls-tree', '--name-only', `${args.base}:${args.dir}`]).split('\n').filter((f) => f.endsWith('.k8s.yaml')).sort();
  } catch {
    process.stderr.write(`review: ${args.base} has no ${args.dir}/ (or is not a git ref); everything below counts as new.\n`);
    files = [];
  }
  const before = parseObjects(files.map((f) => git(['show', `${args.base}:${args.dir}/${f}`])));
  const dir = resolve(args.dir);
  const after = parseObjects(readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort().map((f) => readFileSync(join(dir, f), 'utf8')));
  const r = review(before, after);
  process.stdout.write(renderReview(r, `\`${args.base}\` → working tree (\`${args.dir}/\`)`));
  return args.failOnUnsafe && !isEmpty(r.safety) ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
