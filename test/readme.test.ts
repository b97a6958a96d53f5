import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../charts/config-docs';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration option as the schema defines it (npm run docs:config)', () => {
    expect(readme).toContain(renderConfigDocs());
  });

  it('gives the two commands and the deploy path', () => {
    expect(readme).toContain('npm install && npm run synth');
    expect(readme).toContain('npm test');
    expect(readme).toContain('kubectl apply -f dist/');
    expect(readme).toMatch(/port-forward svc\/prometheus/);
  });
});
