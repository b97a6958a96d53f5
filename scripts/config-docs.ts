// Regenerates the option table in docs/configuration.md from the configuration schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DOCS_BEGIN, CONFIG_DOCS_END, renderConfigDocs } from '../charts/config-docs';

/** The page that holds the generated option table. */
export const CONFIG_PAGE = join(__dirname, '..', 'docs', 'configuration.md');

/**
 * The option table as it appears in docs/configuration.md: the generated table, with links to other
 * documentation pages made relative to docs/ (the generator names them from the repository root).
 */
export function renderConfigTable(): string {
  return renderConfigDocs().replace(/\]\(docs\//g, '](');
}

function main(): void {
  const text = readFileSync(CONFIG_PAGE, 'utf8');
  const start = text.indexOf(CONFIG_DOCS_BEGIN);
  const end = text.indexOf(CONFIG_DOCS_END);
  if (start < 0 || end < 0) throw new Error(`docs/configuration.md lacks the markers ${CONFIG_DOCS_BEGIN} ... ${CONFIG_DOCS_END}`);
  writeFileSync(CONFIG_PAGE, text.slice(0, start) + renderConfigTable() + text.slice(end + CONFIG_DOCS_END.length));
  process.stdout.write('docs/configuration.md option table regenerated\n');
}

if (require.main === module) main();
