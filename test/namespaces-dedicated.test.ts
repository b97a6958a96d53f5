import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../charts/profiles';

/**
 * The stack's namespaces get a Pod Security level and a default-deny NetworkPolicy, which apply to
 * every pod in them: the namespaces the cluster itself uses are refused at synth.
 */
const problem = (namespaces: Record<string, string>): string => {
  try {
    resolveConfig({ namespaces });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  return '';
};

describe('the stack\'s namespaces are dedicated to it', () => {
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'kube-monitoring']) {
    for (const field of ['monitoring', 'agents']) {
      it(`refuses namespaces.${field} = "${ns}", saying why and what to write`, () => {
        expect(problem({ [field]: ns })).toMatch(new RegExp(`namespaces\\.${field}: is a namespace the cluster itself uses .*use a namespace dedicated to the stack, e\\.g\\. "monitoring"`));
      });
    }
  }

  it('accepts names of its own', () => {
    expect(problem({ monitoring: 'observability', agents: 'observability-agents' })).toBe('');
    expect(problem({ monitoring: 'kubernetes-monitoring' })).toBe('');
  });
});
