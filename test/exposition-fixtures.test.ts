import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPOSITION_FIXTURES, FIXTURE_DIR, ModeRow, heapPerSeries, kubeletRecordedPods, perNode, readFixture, stripTimestamps } from '../scripts/bench-series';
import { run } from './helpers/run';
import { describeWithPinned } from './helpers/tools';

/** Sample lines of an exposition (no comments, no blank lines). */
const samples = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

describe('the recorded expositions of the series benchmark', () => {
  const readme = readFileSync(join(FIXTURE_DIR, 'README.md'), 'utf8');

  for (const [job, file] of Object.entries(EXPOSITION_FIXTURES)) {
    it(`${file} (${job}) is named in the README with its source, and holds a node's worth of series`, () => {
      // A section of its own (under a heading naming it), which says where it came from.
      const section = readme.split(/^## /m).find((s) => s.split('\n')[0].includes(`\`${file}\``));
      expect(section, `README.md has no section for ${file}`).toBeDefined();
      expect(section).toMatch(/[Rr]ecord/);
      // A recording of a whole endpoint, not a trimmed sample: hundreds of series at least.
      expect(samples(readFixture(job)).length).toBeGreaterThan(500);
    });
  }

  it('the kubelet recording is of the 30-pod node the estimate scales to', () => {
    expect(kubeletRecordedPods()).toBe(30);
  });

  it('cAdvisor stamps its samples, and the benchmark serves them without the stamps only', () => {
    const raw = samples(readFixture('cadvisor'));
    const stripped = samples(stripTimestamps(readFixture('cadvisor')));
    expect(raw.filter((l) => /\} \S+ \d{13}$/.test(l)).length).toBeGreaterThan(1000);
    expect(stripped).toHaveLength(raw.length);
    stripped.forEach((l, i) => {
      expect(l.split(' ').length).toBeGreaterThanOrEqual(2);
      expect(raw[i].startsWith(l)).toBe(true);
    });
  });
});

describe('stripTimestamps', () => {
  it('removes the timestamp after the value and keeps comments, values and label values with spaces, braces and quotes', () => {
    const text = [
      '# HELP x A help text with a } brace 1 2',
      'x 1',
      'x 1.5e+07 1782468875486',
      'y{a="b c",d="} 9 9"} 2 1782468875486',
      'z{a="say \\"hi\\" }"} NaN',
      'w{a="x"}\t3\t1782468875486',
      '',
    ].join('\n');
    expect(stripTimestamps(text).split('\n')).toEqual([
      '# HELP x A help text with a } brace 1 2',
      'x 1',
      'x 1.5e+07',
      'y{a="b c",d="} 9 9"} 2',
      'z{a="say \\"hi\\" }"} NaN',
      'w{a="x"} 3',
      '',
    ]);
  });
});

describeWithPinned(['promtool'], 'the recordings parse with the pinned promtool', (paths) => {
  for (const [job, file] of Object.entries(EXPOSITION_FIXTURES)) {
    it(`${file}: every sample line parses (as served, timestamps removed)`, () => {
      const text = stripTimestamps(readFixture(job));
      const r = run(paths.promtool, ['check', 'metrics', '--lint=none', '--extended'], { input: text });
      expect(r.status, r.output).toBe(0);
      expect(r.output).toMatch(new RegExp(`^Total\\s+${samples(text).length}\\s`, 'm'));
    });
  }

  it('a broken exposition fails the same check', () => {
    const r = run(paths.promtool, ['check', 'metrics', '--lint=none', '--extended'], { input: 'x{a="b 1\n' });
    expect(r.status).not.toBe(0);
  });
});

describe('the per-node estimate', () => {
  const row = (mode: ModeRow['mode'], heap: number, headSeries: number): ModeRow => ({
    mode, heap, headSeries,
    jobs: [
      { job: 'node-exporter', exposed: 500, kept: 400, podSeries: 0, pods: 0 },
      { job: 'kubelet', exposed: 1000, kept: 600, podSeries: 0, pods: 0 },
      // 10 pods recorded: 300 pod series, 100 of the node.
      { job: 'cadvisor', exposed: 4000, kept: 400, podSeries: 300, pods: 10 },
      { job: 'kube-state-metrics', exposed: 1500, kept: 700, podSeries: 500, pods: 20 },
    ],
  });

  it('keeps node-exporter and the kubelet as recorded, scales the per-pod series, and counts the rest of kube-state-metrics once per cluster', () => {
    const recorded = new Map([['cadvisor', 10], ['kube-state-metrics', 20]]);
    // 400 + 600 + (100 + 30 × 30) + 30 × 25
    expect(perNode(row('none', 0, 0), recorded, 30)).toEqual({ node: 400 + 600 + 100 + 900 + 750, cluster: 200 });
    expect(perNode(row('none', 0, 0), recorded, 10)).toEqual({ node: 400 + 600 + 100 + 300 + 250, cluster: 200 });
  });

  it('reads the heap per series as the slope through the modes', () => {
    const MiB = 1024 * 1024;
    const rows = [row('none', 20 * MiB + 8000 * 1500, 8000), row('curated', 20 * MiB + 3000 * 1500, 3000), row('queried', 20 * MiB + 800 * 1500, 800)];
    const { perSeries, base } = heapPerSeries(rows);
    expect(perSeries).toBeCloseTo(1500, 6);
    expect(base).toBeCloseTo(20 * MiB, 0);
  });
});
