import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns a value other than undefined/false, or fails naming what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/** GET a URL; undefined when nothing listens yet. */
export async function httpGet(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return { status: r.status, body: await r.text() };
  } catch {
    return undefined;
  }
}

/** The processes of one end-to-end run: started in order, stopped together, output kept for failures. */
export class ProcessGroup {
  private readonly procs = new Map<string, { child: ChildProcess; output: string[] }>();

  start(name: string, cmd: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; runAs?: string } = {}): void {
    const [file, argv] = opts.runAs && process.getuid?.() === 0 ? ['runuser', ['-u', opts.runAs, '--', cmd, ...args]] : [cmd, args];
    const child = spawn(file, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (b: Buffer) => {
      output.push(b.toString());
      if (output.length > 400) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => output.push(`[${name} exited: code ${code} signal ${signal}]\n`));
    this.procs.set(name, { child, output });
  }

  /** Stops one process (SIGTERM, then SIGKILL) and waits for it to exit. */
  async stop(name: string): Promise<void> {
    const p = this.procs.get(name);
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
    p.child.kill('SIGTERM');
    const timer = setTimeout(() => p.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.procs.keys()].reverse().map((n) => this.stop(n)));
  }

  running(name: string): boolean {
    const p = this.procs.get(name);
    return !!p && p.child.exitCode === null && p.child.signalCode === null;
  }

  /** The recent output of a process, for assertion messages. */
  output(name: string): string {
    return this.procs.get(name)?.output.join('') ?? '';
  }
}
