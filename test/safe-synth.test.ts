import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { VigilStack } from '../charts/vigil-stack';
import { synthSafely } from '../lib/safe-synth';

function outdirWithPreviousOutput(): string {
  const out = join(mkdtempSync(join(tmpdir(), 'vigil-safe-')), 'dist');
  mkdirSync(out);
  writeFileSync(join(out, '0000-previous.k8s.yaml'), 'previous\n');
  return out;
}

describe('npm run synth', () => {
  it('leaves the previous output untouched and names the problem when synth fails', () => {
    const out = outdirWithPreviousOutput();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = synthSafely((dir) => {
      const app = new App({ outdir: dir });
      new VigilStack(app, 'vigil', { config: { prometheus: { retentionTime: 'forever' } } });
      return app;
    }, out);
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    stderr.mockRestore();
    expect(code).toBe(1);
    expect(printed).toContain('dist/ was left unchanged');
    expect(printed).toContain('prometheus.retentionTime');
    expect(readdirSync(out)).toEqual(['0000-previous.k8s.yaml']);
    expect(readFileSync(join(out, '0000-previous.k8s.yaml'), 'utf8')).toBe('previous\n');
    expect(readdirSync(join(out, '..'))).toEqual(['dist']);
  });

  it('replaces the previous output completely when synth succeeds', () => {
    const out = outdirWithPreviousOutput();
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = synthSafely((dir) => {
      const app = new App({ outdir: dir });
      new VigilStack(app, 'vigil');
      return app;
    }, out);
    stdout.mockRestore();
    expect(code).toBe(0);
    expect(existsSync(join(out, '0000-previous.k8s.yaml'))).toBe(false);
    expect(readdirSync(out)).toContain('0000-namespaces.k8s.yaml');
    expect(readdirSync(join(out, '..'))).toEqual(['dist']);
  });

  it('creates missing parent directories of the output directory (CDK8S_OUTDIR=a/b/dist)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vigil-safe-')), 'a', 'b', 'dist');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = synthSafely((dir) => {
      const app = new App({ outdir: dir });
      new VigilStack(app, 'vigil', { config: { nodeExporter: { enabled: false } } });
      return app;
    }, out);
    stdout.mockRestore();
    expect(code).toBe(0);
    expect(readdirSync(out).length).toBeGreaterThan(3);
  });

  it('says in one line, without a stack trace, when the output directory cannot be created', () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-safe-'));
    writeFileSync(join(root, 'file'), '');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = synthSafely(() => new App(), join(root, 'file', 'dist'));
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    stderr.mockRestore();
    expect(code).toBe(1);
    expect(printed.trim().split('\n')).toHaveLength(1);
    expect(printed).toMatch(/cannot create the output directory .*is a file, not a directory/);
  });

  it('prints the routing warnings: a route on a misspelt label and an unused receiver', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vigil-safe-')), 'dist');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = synthSafely((dir) => {
      const app = new App({ outdir: dir });
      new VigilStack(app, 'vigil', { config: { alertmanager: { routing: {
        receivers: [{ name: 'default', discard: true }, { name: 'pager', discard: true }, { name: 'spare', discard: true }],
        route: { routes: [{ matchers: ['severty="critical"'], receiver: 'pager' }] },
      } } } });
      return app;
    }, out);
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    stderr.mockRestore();
    stdout.mockRestore();
    expect(code).toBe(0);
    expect(printed).toContain('2 warnings:');
    expect(printed).toMatch(/alertmanager\.routing\.route\.routes\[0\]\.matchers\[0\]: matcher severty="critical" is on label "severty", which no alert carries/);
    expect(printed).toContain('alertmanager.routing.receivers[2]: receiver "spare" is not used by any route');
  });
});
