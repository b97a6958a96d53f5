// Regenerates the option table in README.md from the configuration schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DOCS_BEGIN, CONFIG_DOCS_END, renderConfigDocs } from '../charts/config-docs';

const readme = join(__dirname, '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const start = text.indexOf(CONFIG_DOCS_BEGIN);
const end = text.indexOf(CONFIG_DOCS_END);
if (start < 0 || end < 0) throw new Error(`README.md lacks the markers ${CONFIG_DOCS_BEGIN} ... ${CONFIG_DOCS_END}`);
writeFileSync(readme, text.slice(0, start) + renderConfigDocs() + text.slice(end + CONFIG_DOCS_END.length));
process.stdout.write('README.md option table regenerated\n');
