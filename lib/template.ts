import { closest } from './suggest';

/**
 * A checker for the Go text/template subset Prometheus expands in alert labels and annotations
 * (`{{ $labels.instance }}`, `{{ $value | humanizePercentage }}`, `{{ printf "%.2f" $value }}`,
 * `{{ if ... }}...{{ end }}`). It catches what reviewers miss: unbalanced braces, unknown functions,
 * misspelt variables, `$value` written outside `{{ }}`, and unclosed `if`/`range`/`with` blocks.
 * promtool parses and expands the templates as well; this check runs at synth time.
 */

/** Functions available to Prometheus 2.42+ alert templates: Prometheus' own plus text/template's. */
export const TEMPLATE_FUNCTIONS: ReadonlySet<string> = new Set([
  // Prometheus (template/template.go)
  'query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title',
  'toUpper', 'toLower', 'graphLink', 'tableLink', 'sortByLabel', 'humanize', 'humanize1024',
  'humanizeDuration', 'humanizePercentage', 'humanizeTimestamp', 'toTime', 'pathPrefix', 'externalURL',
  'parseDuration', 'stripPort', 'stripDomain',
  // text/template built-ins
  'and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println',
  'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne',
]);

/** Variables Prometheus defines for alert templates. */
const PREDEFINED_VARIABLES = ['$labels', '$value', '$externalLabels', '$externalURL'];

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'false']);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Token =
  | { kind: 'ident'; text: string }
  | { kind: 'var'; text: string; fields: string[] }
  | { kind: 'field'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'punct'; text: string };

/** Problems in one template string; empty when it is well-formed. */
export function templateIssues(template: string): string[] {
  const issues: string[] = [];
  const declared = new Set(PREDEFINED_VARIABLES.concat('$'));
  const blocks: string[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf('{{', pos);
    const text = template.slice(pos, open === -1 ? template.length : open);
    checkText(text, issues);
    if (open === -1) break;
    const close = findActionEnd(template, open + 2);
    if (close === -1) {
      issues.push(`"{{" at offset ${open} is never closed: add "}}" after "${template.slice(open, open + 30)}"`);
      break;
    }
    let body = template.slice(open + 2, close);
    if (body.startsWith('-') && /^-\s/.test(body)) body = body.slice(1);
    if (/\s-$/.test(body)) body = body.slice(0, -1);
    checkAction(body.trim(), declared, blocks, issues);
    pos = close + 2;
  }
  for (const b of blocks.reverse()) issues.push(`{{ ${b} }} is not closed: add {{ end }}`);
  return issues;
}

function checkText(text: string, issues: string[]): void {
  if (text.includes('}}')) issues.push(`"}}" without a matching "{{" in "${text.trim().slice(0, 40)}": add the opening "{{" or remove the braces`);
  const stray = /\$(labels|value|externalLabels)\b/.exec(text);
  if (stray) issues.push(`"${stray[0]}" outside {{ }} is printed literally: write {{ ${stray[0]}${stray[1] === 'labels' ? '.name' : ''} }}`);
}

/** Index of the `}}` that closes an action starting at `from`, skipping over quoted strings. */
function findActionEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === '`' || c === "'") {
      const q = c;
      i++;
      while (i < s.length && s[i] !== q) i += s[i] === '\\' && q !== '`' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end === -1) return -1;
      i = end + 2;
      continue;
    }
    if (c === '}' && s[i + 1] === '}') return i;
    if (c === '{' && s[i + 1] === '{') return -1;
    i++;
  }
  return -1;
}

function tokenize(body: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      while (j < body.length && body[j] !== c) j += body[j] === '\\' && c !== '`' ? 2 : 1;
      if (j >= body.length) return `unterminated string ${body.slice(i)}: close it with ${c}`;
      tokens.push({ kind: 'literal', text: body.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === ':' && body[i + 1] === '=') { tokens.push({ kind: 'punct', text: ':=' }); i += 2; continue; }
    if ('|(),='.includes(c)) { tokens.push({ kind: 'punct', text: c }); i++; continue; }
    const m = /^(\$[A-Za-z0-9_]*|\.?[A-Za-z_][A-Za-z0-9_]*|\.|-?[0-9][0-9a-fA-FxXeE_.+-]*)((?:\.[A-Za-z0-9_]+)*)/.exec(body.slice(i));
    if (!m || m[0].length === 0) return `unexpected "${c}" in {{ ${body} }}`;
    const [whole, head, rest] = m;
    const fields = rest ? rest.split('.').slice(1) : [];
    if (head.startsWith('$')) tokens.push({ kind: 'var', text: head, fields });
    else if (head.startsWith('.')) tokens.push({ kind: 'field', text: whole });
    else if (/^-?[0-9]/.test(head)) tokens.push({ kind: 'literal', text: whole });
    else if (fields.length > 0) return `"${whole}" is not a valid term: a function name cannot have fields`;
    else tokens.push({ kind: 'ident', text: head });
    i += whole.length;
  }
  return tokens;
}

function checkAction(body: string, declared: Set<string>, blocks: string[], issues: string[]): void {
  if (body.startsWith('/*')) return;
  const tokens = tokenize(body);
  if (typeof tokens === 'string') { issues.push(tokens); return; }
  if (tokens.length === 0) { issues.push('empty action {{ }}: put a value such as {{ $value }} inside or remove it'); return; }
  const first = tokens[0];
  let pipeline = tokens;
  if (first.kind === 'ident' && KEYWORDS.has(first.text)) {
    switch (first.text) {
      case 'end':
        if (blocks.length === 0) issues.push('{{ end }} without an open {{ if }}, {{ range }} or {{ with }}: remove it');
        else blocks.pop();
        return;
      case 'else':
        if (blocks.length === 0) { issues.push('{{ else }} outside {{ if }}/{{ range }}/{{ with }}: remove it'); return; }
        pipeline = tokens.slice(1);
        if (pipeline.length === 0) return;
        if (pipeline[0].kind === 'ident' && (pipeline[0].text === 'if' || pipeline[0].text === 'with')) pipeline = pipeline.slice(1);
        else { issues.push(`{{ ${body} }}: only "else", "else if" and "else with" are allowed`); return; }
        break;
      case 'if':
      case 'with':
      case 'range':
        blocks.push(first.text);
        pipeline = tokens.slice(1);
        break;
      case 'break':
      case 'continue':
        return;
      case 'define':
      case 'template':
      case 'block':
        issues.push(`{{ ${first.text} }} is not supported in alert templates: inline the text instead`);
        return;
      default:
        break;
    }
    if (pipeline.length === 0) { issues.push(`{{ ${first.text} }} needs a condition, e.g. {{ ${first.text} $labels.instance }}`); return; }
  }
  // Variable declarations: `$x := pipeline` and `range $i, $e := pipeline`.
  const assign = pipeline.findIndex((t) => t.kind === 'punct' && (t.text === ':=' || t.text === '='));
  if (assign !== -1) {
    for (const t of pipeline.slice(0, assign)) {
      if (t.kind === 'var') declared.add(t.text);
      else if (!(t.kind === 'punct' && t.text === ',')) issues.push(`{{ ${body} }}: only variables can be assigned`);
    }
    pipeline = pipeline.slice(assign + 1);
    if (pipeline.length === 0) { issues.push(`{{ ${body} }}: the assignment has no value`); return; }
  }
  checkPipeline(body, pipeline, declared, issues, blocks.some((b) => b === 'range' || b === 'with'));
}

/** The fields of Prometheus' alert template data (`.Labels.x` is `$labels.x`). */
const DATA_FIELDS = ['Labels', 'ExternalLabels', 'ExternalURL', 'Value'];
const DATA_VARIABLE: Record<string, string> = { labels: '$labels', externallabels: '$externalLabels', externalurl: '$externalURL', value: '$value' };

function checkPipeline(body: string, tokens: Token[], declared: Set<string>, issues: string[], dotRebound = false): void {
  let depth = 0;
  let commandStart = true;
  let stage = 0;
  for (const t of tokens) {
    if (t.kind === 'punct') {
      if (t.text === '(') { depth++; commandStart = true; continue; }
      if (t.text === ')') {
        depth--;
        if (depth < 0) { issues.push(`{{ ${body} }}: unmatched ")"`); return; }
        continue;
      }
      if (t.text === '|') {
        if (commandStart) { issues.push(`{{ ${body} }}: "|" needs a value before it`); return; }
        commandStart = true;
        stage++;
        continue;
      }
      issues.push(`{{ ${body} }}: unexpected "${t.text}"`);
      return;
    }
    if (commandStart && stage > 0 && depth === 0 && t.kind !== 'ident') {
      issues.push(`{{ ${body} }}: after "|" write a function such as humanize or printf, not ${t.text}`);
    }
    commandStart = false;
    if (t.kind === 'ident') {
      if (KEYWORDS.has(t.text) && !['nil', 'true', 'false'].includes(t.text)) {
        issues.push(`{{ ${body} }}: "${t.text}" must start the action`);
      } else if (!KEYWORDS.has(t.text) && !TEMPLATE_FUNCTIONS.has(t.text)) {
        issues.push(`{{ ${body} }}: unknown function "${t.text}"; did you mean ${closest(t.text, TEMPLATE_FUNCTIONS, 2).map((s) => `"${s}"`).join(' or ')}?`);
      }
    } else if (t.kind === 'field' && !dotRebound && t.text !== '.') {
      // Outside {{ range }}/{{ with }} the dot is the alert's template data, whose fields are
      // capitalised; `.labels.instance` passes a syntax check and fails when Prometheus expands it.
      const head = t.text.split('.')[1];
      if (!DATA_FIELDS.includes(head)) {
        const asVar = DATA_VARIABLE[head.toLowerCase()];
        issues.push(`{{ ${body} }}: "${t.text}" is not in Prometheus' alert template data (its fields are ${DATA_FIELDS.map((f) => `.${f}`).join(', ')}), so it fails when the alert fires${asVar ? `: write ${[asVar, ...t.text.split('.').slice(2)].join('.')}` : ''}`);
      }
    } else if (t.kind === 'var') {
      if (!declared.has(t.text)) {
        issues.push(`{{ ${body} }}: unknown variable ${t.text}; did you mean ${closest(t.text, [...declared].filter((v) => v !== '$'), 1)[0]}?`);
      } else if ((t.text === '$labels' || t.text === '$externalLabels') && t.fields.length > 0) {
        if (t.fields.length > 1 || !LABEL_NAME.test(t.fields[0])) {
          issues.push(`{{ ${body} }}: "${t.fields.join('.')}" is not a label name; for unusual names write {{ index ${t.text} "name" }}`);
        }
      } else if ((t.text === '$value' || t.text === '$externalURL') && t.fields.length > 0) {
        issues.push(`{{ ${body} }}: ${t.text} has no fields: write {{ ${t.text} }}`);
      }
    }
  }
  if (depth !== 0) issues.push(`{{ ${body} }}: unmatched "(": add ")"`);
  if (commandStart) issues.push(`{{ ${body} }}: the pipeline ends with "|": add a function after it`);
}
