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
});
