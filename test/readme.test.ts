import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigTable } from '../scripts/config-docs';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const configPage = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');

/** README.md and the topic pages directly under docs/. */
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Targets of the Markdown links `[text](target)` outside code. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
}

describe('README', () => {
  it('is a front page of at most 200 lines', () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(200);
  });

  it('gives the two commands and the deploy path', () => {
    expect(readme).toContain('npm install && npm run synth');
    expect(readme).toContain('npm test');
    expect(readme).toContain('kubectl apply -f dist/');
    expect(readme).toMatch(/port-forward svc\/prometheus/);
  });
});

describe('docs', () => {
  it('docs/configuration.md documents every configuration option as the schema defines it (npm run docs:config)', () => {
    expect(configPage).toContain(renderConfigTable());
  });

  it('has relative links only to files that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const target of linkTargets(readFileSync(join(root, page), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // http(s), mailto, same-page anchors
        const path = decodeURI(target.replace(/#.*$/, ''));
        const file = resolve(root, dirname(page), path);
        if (!existsSync(file)) broken.push(`${page}: ${target} (${relative(root, file)} does not exist)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
