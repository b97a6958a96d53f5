import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { TimeIntervalSchema, renderTimeInterval } from '../alerts/routing/time-intervals';
import { run } from './helpers/run';
import { describeWithPinned } from './helpers/tools';

/**
 * `daysOfMonth` follows Alertmanager's three rules (DayOfMonthRange.UnmarshalYAML in
 * timeinterval/timeinterval.go at v0.34.0): days in ±1..31, a range starting from the end of the month
 * ends there too, and a range may not end before it starts in a 28-day month. What the schema refuses
 * the pinned amtool refuses, and what it accepts amtool accepts.
 */
const REFUSED = ['7:1', '-1:1', '-1:-7', '25:-7', '0', '32', '-32:-1', '1:2:3'];
const ACCEPTED = ['1', '-1', '1:7', '-7:-1', '1:-1', '15:-3', '28:28', '-31:-1', '1:31'];

const accepts = (day: string) => TimeIntervalSchema.safeParse({ name: 'days', intervals: [{ daysOfMonth: [day] }] }).success;

describe('daysOfMonth ranges', () => {
  for (const day of REFUSED) it(`refuses "${day}" at synth`, () => expect(accepts(day)).toBe(false));
  for (const day of ACCEPTED) it(`accepts "${day}"`, () => expect(accepts(day)).toBe(true));

  it('says what is wrong and what to write', () => {
    const message = (day: string) => TimeIntervalSchema.safeParse({ name: 'd', intervals: [{ daysOfMonth: [day] }] }).error?.issues[0].message;
    expect(message('-1:1')).toMatch(/must end counting from the end too.*"-7:-1"/);
    expect(message('7:1')).toMatch(/ends before it starts in a 28-day month/);
    expect(message('-1:-7')).toMatch(/ends before it starts in a 28-day month/);
  });
});

describeWithPinned(['amtool'], 'daysOfMonth: the pinned amtool agrees with the schema on every case', ({ amtool }) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-days-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const amtoolAccepts = (day: string): boolean => {
    // Rendered as the generator renders it, without the schema in front, so amtool is the judge.
    const doc = {
      route: { receiver: 'null', routes: [{ receiver: 'null', matchers: ['a="b"'], mute_time_intervals: ['days'] }] },
      receivers: [{ name: 'null' }],
      time_intervals: [renderTimeInterval({ name: 'days', intervals: [{ daysOfMonth: [day] }] })],
    };
    const file = join(dir, `${day.replace(/[^0-9-]/g, '_')}.yml`);
    writeFileSync(file, YAML.stringify(doc));
    return run(amtool, ['check-config', file]).status === 0;
  };
  for (const day of [...REFUSED, ...ACCEPTED]) {
    it(`"${day}": amtool ${accepts(day) ? 'accepts' : 'refuses'} it too`, () => expect(amtoolAccepts(day)).toBe(accepts(day)));
  }
});
