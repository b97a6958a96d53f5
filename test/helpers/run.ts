import { spawnSync } from 'node:child_process';

/** Runs a command; returns its exit status and combined output (for assertion messages). */
export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): { status: number; output: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}
