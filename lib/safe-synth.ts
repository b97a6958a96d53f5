import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { App } from 'cdk8s';

/**
 * Synthesizes into a fresh sibling directory and swaps it in only when synth succeeded, so a failed
 * synth (a config error, a broken query) never leaves a half-written or empty output directory: the
 * previous manifests stay exactly as they were. Returns the process exit code.
 */
export function synthSafely(build: (outdir: string) => App, outdir: string): number {
  const target = resolve(outdir);
  const staging = mkdtempSync(`${target}.staging-`);
  try {
    build(staging).synth();
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`\nsynth failed; ${basename(target)}/ was left unchanged.\n\n${message}\n\n`);
    return 1;
  }
  const previous = `${target}.previous-${process.pid}`;
  if (existsSync(target)) renameSync(target, previous);
  renameSync(staging, target);
  rmSync(previous, { recursive: true, force: true });
  process.stdout.write(`synthesized to ${basename(target)}/\n`);
  return 0;
}
