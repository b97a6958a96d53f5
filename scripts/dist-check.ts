import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { outputDifferences, readOutputFiles, staleMessage } from './dist/compare';

/**
 * `npm run dist:check [-- --dir dist]`: synthesizes the default app into a temporary directory through
 * its own contract (`CDK8S_OUTDIR=<dir> tsx main.ts`), compares it byte for byte with the committed
 * output, and exits 1 listing the files that differ and the command that fixes it.
 */
function main(argv: string[]): number {
  const at = argv.indexOf('--dir');
  const dir = at >= 0 ? argv[at + 1] : 'dist';
  const root = resolve(__dirname, '..');
  const tmp = mkdtempSync(join(tmpdir(), 'vigil-dist-check-'));
  try {
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main.ts'], {
      cwd: root, env: { ...process.env, CDK8S_OUTDIR: join(tmp, 'out') }, encoding: 'utf8',
    });
    if (r.status !== 0) {
      process.stderr.write(`dist:check: synth failed, so ${dir}/ cannot be checked:\n${r.stdout}${r.stderr}`);
      return 1;
    }
    const differences = outputDifferences(readOutputFiles(resolve(root, dir)), readOutputFiles(join(tmp, 'out')));
    if (differences.length > 0) {
      process.stderr.write(staleMessage(dir, differences));
      return 1;
    }
    process.stdout.write(`${dir}/ is up to date.\n`);
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
