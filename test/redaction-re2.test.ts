import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { logPipeline, streamTemplate } from '../charts/log-agent-pipeline';
import { logsSchema } from '../charts/config-logs';
import { applyRedaction } from '../lib/redaction';
import { CLEAN, SAMPLES } from './fixtures/redaction-samples';
import { describeWithTool } from './helpers/tools';

/**
 * The redaction stages and the `stream` template as the agents run them: the exact pipeline
 * logPipeline() renders for both agents, replayed with Go's regexp (RE2) and text/template through
 * tools/redaction-check, which applies Promtail's replace-stage algorithm. JavaScript's result
 * (applyRedaction) must agree with Go's on every line.
 */

interface Output { lines: string[]; templates: Array<{ result: string; removed: boolean }> }

function replay(go: string, input: { rules: Array<{ expression: string; replace: string }>; lines: string[]; templates?: Array<{ template: string; data: Record<string, string> }> }): Output {
  const out = execFileSync(go, ['run', '.'], {
    cwd: join(__dirname, '..', 'tools', 'redaction-check'),
    input: JSON.stringify({ templates: [], ...input }),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return JSON.parse(out) as Output;
}

describeWithTool('go', 'redaction and stream routing, replayed with Go (RE2, text/template)', (go) => {
  const settings = logsSchema.parse({ redactFields: ['apiSecret'] });
  const pipeline = logPipeline(settings);
  const rules = pipeline.flatMap((s) => (s.kind === 'replace' ? [{ expression: s.rule.expression, replace: s.replace }] : []));

  it('every sample line comes out as expected, the same in Go as in JavaScript', () => {
    const lines = [...SAMPLES.map((s) => s.before), ...CLEAN];
    const out = replay(go, { rules, lines });
    const expected = [...SAMPLES.map((s) => s.after), ...CLEAN];
    out.lines.forEach((line, i) => {
      expect(line, lines[i]).toBe(expected[i]);
      expect(line, `JavaScript and Go differ on ${lines[i]}`).toBe(applyRedaction(lines[i]));
    });
    // JSON lines stay JSON, so the json stage still finds level, trace id and stream.
    out.lines.filter((l) => l.startsWith('{')).forEach((l) => expect(() => JSON.parse(l), l).not.toThrow());
  }, 200_000);

  it('the stream template sets no label on a line the CRI parser could not read', () => {
    const template = streamTemplate(settings.streams);
    const cases: Array<[Record<string, string>, string]> = [
      [{ Value: 'stdout' }, 'stdout'],
      [{ Value: 'stderr', log_stream: 'security' }, 'security'],
      [{ Value: 'stdout', log_stream: 'marketing' }, 'stdout'],
      [{ log_stream: 'audit' }, 'audit'],
      // Not a CRI line, no app stream: no value, so no label (not "<no value>").
      [{}, ''],
      [{ log_stream: 'marketing' }, ''],
    ];
    const out = replay(go, { rules: [], lines: [], templates: cases.map(([data]) => ({ template, data })) });
    out.templates.forEach((t, i) => {
      expect(t.result, JSON.stringify(cases[i][0])).toBe(cases[i][1]);
      expect(t.result).not.toContain('<no value>');
    });
    expect(pipeline.some((s) => s.kind === 'template' && s.source === 'stream' && s.template === template)).toBe(true);
  }, 200_000);
});
