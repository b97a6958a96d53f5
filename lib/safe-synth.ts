import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { App } from 'cdk8s';

/**
 * Construct metadata type of a synth warning: the configuration works, but probably not as meant
 * (a route on a label no alert carries, an unused receiver). {@link synthSafely} prints them.
 */
export const SYNTH_WARNING = 'vigil:warning';

/** The synth warnings of every construct in an app, in construct order. */
export function synthWarnings(app: App): string[] {
  return app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === SYNTH_WARNING).map((m) => String(m.data)));
}

/**
 * Synthesizes into a fresh sibling directory and swaps it in only when synth succeeded, so a failed
 * synth (a config error, a broken query) never leaves a half-written or empty output directory: the
 * previous manifests stay exactly as they were. Missing parent directories of the output directory
 * are created; a directory that cannot be created or written is reported in one line. Warnings are
 * printed to stderr. Returns the process exit code.
 */
export function synthSafely(build: (outdir: string) => App, outdir: string): number {
  const target = resolve(outdir);
  let staging: string;
  try {
    mkdirSync(dirname(target), { recursive: true });
    staging = mkdtempSync(`${target}.staging-`);
  } catch (err) {
    process.stderr.write(`\nsynth failed: cannot create the output directory ${outdir}: ${ioReason(err)}\n\n`);
    return 1;
  }
  let app: App;
  try {
    app = build(staging);
    app.synth();
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`\nsynth failed; ${basename(target)}/ was left unchanged.\n\n${message}\n\n`);
    return 1;
  }
  const warnings = synthWarnings(app);
  if (warnings.length) process.stderr.write(`\n${warnings.length} warning${warnings.length === 1 ? '' : 's'}:\n${warnings.map((w) => `  - ${w}`).join('\n')}\n\n`);
  const previous = `${target}.previous-${process.pid}`;
  try {
    if (existsSync(target)) renameSync(target, previous);
    renameSync(staging, target);
  } catch (err) {
    if (!existsSync(target) && existsSync(previous)) renameSync(previous, target);
    rmSync(staging, { recursive: true, force: true });
    process.stderr.write(`\nsynth failed: cannot replace ${outdir}: ${ioReason(err)}\n\n`);
    return 1;
  }
  rmSync(previous, { recursive: true, force: true });
  process.stdout.write(`synthesized to ${basename(target)}/\n`);
  return 0;
}

/** One line for a file-system error: its code and the path, without a stack. */
function ioReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EEXIST') return `${e.path ?? 'a part of the path'} is a file, not a directory`;
  if (e?.code === 'ENOTDIR') return `a part of ${e.path ?? 'the path'} is a file, not a directory`;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `permission denied on ${e.path ?? 'the path'}`;
  if (e?.code === 'EROFS') return 'the file system is read-only';
  return e?.code ? `${e.code}${e.path ? ` on ${e.path}` : ''}` : String(err);
}
