import { expect } from 'vitest';
import type { StackConfigInput } from '../../charts/config';
import { ConfigError, resolveConfig } from '../../charts/profiles';

/** The message a configuration fails with; fails the test if it is accepted or fails otherwise. */
export function configErrorOf(config: unknown): string {
  try {
    resolveConfig(config as StackConfigInput);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}
