/**
 * A structural parser for Go's text/template, the language of Alertmanager's notification templates
 * (template files and every templated receiver field). It finds what makes Go's parser refuse a
 * template (text/template/parse/lex.go and parse.go at Go 1.25) before Alertmanager does:
 *
 * - an action that is never closed (`{{ .Status`), an unterminated string, raw string or comment;
 * - `{{ end }}` without a block, a block (`if`, `range`, `with`, `define`, `block`) without its `end`,
 *   an `else` outside `if`/`range`/`with` or after the block's own `else`;
 * - `define` anywhere but at the top level, a `define`/`template`/`block` name that is not a string;
 * - `break`/`continue` outside `range`;
 * - an empty command (`{{ }}`, `{{ .A | }}`), unbalanced parentheses;
 * - a function that is not defined (Go resolves function names when it parses), a variable that is
 *   not declared in scope.
 *
 * It also returns the templates a text defines and references, so a caller can check that every
 * `{{ template "name" }}` names a defined template: Go only finds out when it executes one, that is
 * when Alertmanager sends a notification.
 */

/** Go's built-in template functions (text/template/funcs.go). */
export const GO_TEMPLATE_BUILTINS: readonly string[] = [
  'and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery',
  'eq', 'ge', 'gt', 'le', 'lt', 'ne',
];

/** What a parsed template text defines and uses. */
export interface GoTemplateInfo {
  /** Problems Go's parser would report, each with its line. Empty when the text parses. */
  readonly problems: string[];
  /** Names of `define` and `block` templates. */
  readonly defines: string[];
  /** Names the text executes with `template` (and `block`, which defines what it executes). */
  readonly references: string[];
}

type Token =
  | { kind: 'word'; text: string } // identifier or keyword
  | { kind: 'field'; text: string } // .Foo.Bar or .
  | { kind: 'var'; text: string } // $x, $
  | { kind: 'string'; text: string } // the string's value
  | { kind: 'number' | 'char' | 'bool'; text: string }
  | { kind: 'punct'; text: '(' | ')' | '|' | ',' | ':=' | '=' };

interface Action {
  readonly line: number;
  readonly tokens: Token[];
}

interface Block {
  readonly keyword: 'if' | 'range' | 'with' | 'define' | 'block';
  readonly line: number;
  elseSeen: boolean;
  readonly vars: Set<string>;
}

/**
 * Parses `text` as Go's text/template does with the given function names (Go's built-ins are always
 * known). The first problem of a kind stops nothing: every problem found is listed.
 */
export function parseGoTemplate(text: string, functions: readonly string[]): GoTemplateInfo {
  const problems: string[] = [];
  const defines: string[] = [];
  const references: string[] = [];
  const known = new Set([...GO_TEMPLATE_BUILTINS, ...functions]);
  const actions = lexActions(text, problems);
  const stack: Block[] = [];
  const topVars = new Set(['$']);
  const scopeVars = () => {
    // Variables are visible from their declaration to the end of the enclosing block; `define` starts afresh.
    const out = new Set<string>();
    for (let i = stack.length - 1; i >= -1; i--) {
      const vars = i < 0 ? topVars : stack[i].vars;
      vars.forEach((v) => out.add(v));
      if (i >= 0 && (stack[i].keyword === 'define' || stack[i].keyword === 'block')) {
        out.add('$');
        break;
      }
    }
    return out;
  };
  const declare = (name: string) => (stack.length ? stack[stack.length - 1].vars : topVars).add(name);
  const inRange = () => {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i].keyword === 'range') return true;
      if (stack[i].keyword === 'define' || stack[i].keyword === 'block') return false;
    }
    return false;
  };

  for (const a of actions) {
    const at = `line ${a.line}`;
    const [first, ...rest] = a.tokens;
    if (!first) {
      problems.push(`${at}: empty action {{ }}: missing value for command`);
      continue;
    }
    const keyword = first.kind === 'word' ? first.text : undefined;
    switch (keyword) {
      case 'end':
        if (rest.length) problems.push(`${at}: unexpected ${describe(rest[0])} in end`);
        if (!stack.pop()) problems.push(`${at}: unexpected {{end}}: no if, range, with, define or block is open`);
        continue;
      case 'else': {
        const top = stack[stack.length - 1];
        if (!top || top.keyword === 'define' || top.keyword === 'block') {
          problems.push(`${at}: unexpected {{else}} outside if, range or with`);
          continue;
        }
        if (top.elseSeen) problems.push(`${at}: expected end; found {{else}} (the ${top.keyword} of line ${top.line} already has an else)`);
        const chained = rest[0]?.kind === 'word' && (rest[0].text === 'if' || rest[0].text === 'with') ? rest[0].text : undefined;
        if (chained) {
          if (chained !== top.keyword) problems.push(`${at}: {{else ${chained}}} in a ${top.keyword} block`);
          checkPipeline(rest.slice(1), at, true);
        } else {
          top.elseSeen = true;
          if (rest.length) problems.push(`${at}: unexpected ${describe(rest[0])} in else`);
        }
        continue;
      }
      case 'if': case 'range': case 'with':
        stack.push({ keyword, line: a.line, elseSeen: false, vars: new Set() });
        checkPipeline(rest, at, true, keyword === 'range');
        continue;
      case 'define': case 'block': {
        if (keyword === 'define' && stack.length) problems.push(`${at}: {{define}} inside ${stack[stack.length - 1].keyword} (line ${stack[stack.length - 1].line}): templates are defined at the top level only`);
        const name = rest[0];
        if (!name || name.kind !== 'string') {
          problems.push(`${at}: {{${keyword}}} needs a template name in quotes, e.g. {{${keyword} "slack.title"}}`);
        } else {
          defines.push(name.text);
          if (keyword === 'block') references.push(name.text);
        }
        if (keyword === 'define' && rest.length > 1) problems.push(`${at}: unexpected ${describe(rest[1])} in define`);
        if (keyword === 'block') checkPipeline(rest.slice(1), at, false);
        stack.push({ keyword, line: a.line, elseSeen: false, vars: new Set(['$']) });
        continue;
      }
      case 'template': {
        const name = rest[0];
        if (!name || name.kind !== 'string') problems.push(`${at}: {{template}} needs a template name in quotes, e.g. {{template "slack.title" .}}`);
        else references.push(name.text);
        if (rest.length > 1) checkPipeline(rest.slice(1), at, false);
        continue;
      }
      case 'break': case 'continue':
        if (!inRange()) problems.push(`${at}: {{${keyword}}} outside {{range}}`);
        if (rest.length) problems.push(`${at}: unexpected ${describe(rest[0])} in ${keyword}`);
        continue;
      default:
        checkPipeline(a.tokens, at, true);
    }
  }
  for (const b of stack) problems.push(`line ${b.line}: {{${b.keyword}}} is never closed: add {{end}}`);
  return { problems, defines, references };

  /** A pipeline: optional declaration, then commands separated by `|`. */
  function checkPipeline(tokens: Token[], at: string, allowDecl: boolean, rangeDecl = false): void {
    let body = tokens;
    const declIndex = tokens.findIndex((t) => t.kind === 'punct' && (t.text === ':=' || t.text === '='));
    if (declIndex >= 0) {
      const vars = tokens.slice(0, declIndex);
      const names = vars.filter((t) => t.kind === 'var');
      const shapeOk = names.length >= 1 && names.length <= (rangeDecl ? 2 : 1) && vars.length === names.length * 2 - 1
        && vars.every((t, i) => (i % 2 === 0 ? t.kind === 'var' : t.kind === 'punct' && t.text === ','));
      if (!allowDecl || !shapeOk) {
        problems.push(`${at}: unexpected ${(tokens[declIndex] as { text: string }).text}: a declaration is $name := pipeline${rangeDecl ? ' (or $index, $element := in range)' : ''}`);
      } else if ((tokens[declIndex] as { text: string }).text === '=') {
        for (const v of names) if (!scopeVars().has(v.text)) problems.push(`${at}: undefined variable "${v.text}"`);
      } else {
        body = tokens.slice(declIndex + 1);
        checkCommands(body, at);
        for (const v of names) declare(v.text);
        return;
      }
      body = tokens.slice(declIndex + 1);
    }
    checkCommands(body, at);
  }

  function checkCommands(tokens: Token[], at: string): void {
    let depth = 0;
    let command: Token[] = [];
    const endCommand = () => {
      if (command.length === 0) problems.push(`${at}: missing value for command`);
      command = [];
    };
    for (const t of tokens) {
      if (t.kind === 'punct' && t.text === '(') {
        depth++;
        command.push(t);
        continue;
      }
      if (t.kind === 'punct' && t.text === ')') {
        if (depth === 0) problems.push(`${at}: unexpected right paren`);
        else depth--;
        command.push(t);
        continue;
      }
      if (t.kind === 'punct' && t.text === '|') {
        endCommand();
        continue;
      }
      if (t.kind === 'punct' && (t.text === ',' || t.text === ':=' || t.text === '=')) {
        problems.push(`${at}: unexpected "${t.text}" in command`);
        continue;
      }
      if (t.kind === 'word' && !known.has(t.text)) {
        problems.push(`${at}: function "${t.text}" not defined${suggestion(t.text)}`);
      }
      if (t.kind === 'var' && !scopeVars().has(t.text.split('.')[0])) problems.push(`${at}: undefined variable "${t.text.split('.')[0]}"`);
      command.push(t);
    }
    if (depth > 0) problems.push(`${at}: unclosed left paren`);
    endCommand();
  }

  function suggestion(name: string): string {
    const lower = name.toLowerCase();
    const match = [...known].find((k) => k.toLowerCase() === lower);
    return match ? `; did you mean "${match}"?` : '';
  }
}

function describe(t: Token): string {
  return t.kind === 'string' ? `"${t.text}"` : `"${t.text}"`;
}

/** Splits the text into actions, each tokenized; reports unclosed actions, strings and comments. */
function lexActions(text: string, problems: string[]): Action[] {
  const actions: Action[] = [];
  let i = 0;
  const lineAt = (pos: number) => text.slice(0, pos).split('\n').length;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    const line = lineAt(open);
    let j = open + 2;
    // Trim marker "{{- " (the dash must be followed by a space to be a marker).
    if (text[j] === '-' && /\s/.test(text[j + 1] ?? '')) j += 2;
    while (/\s/.test(text[j] ?? '') && j < text.length) j++;
    if (text.startsWith('/*', j)) {
      const close = text.indexOf('*/', j + 2);
      if (close < 0) {
        problems.push(`line ${line}: unclosed comment`);
        return actions;
      }
      let k = close + 2;
      while (/\s/.test(text[k] ?? '')) k++;
      if (text[k] === '-' ) k++;
      if (!text.startsWith('}}', k)) {
        problems.push(`line ${line}: comment ends before closing delimiter`);
        return actions;
      }
      i = k + 2;
      continue;
    }
    const tokens: Token[] = [];
    let closed = false;
    while (j < text.length) {
      const c = text[j];
      if (text.startsWith('}}', j)) {
        closed = true;
        j += 2;
        break;
      }
      if (c === '-' && /\s/.test(text[j - 1] ?? '') && text.startsWith('}}', j + 1)) {
        closed = true;
        j += 3;
        break;
      }
      if (c === '\n' || c === '\r' || c === ' ' || c === '\t') { j++; continue; }
      if (c === '"') {
        let k = j + 1;
        let value = '';
        while (k < text.length && text[k] !== '"' && text[k] !== '\n') {
          if (text[k] === '\\') { value += text[k + 1] ?? ''; k += 2; continue; }
          value += text[k++];
        }
        if (text[k] !== '"') {
          problems.push(`line ${lineAt(j)}: unterminated quoted string`);
          return actions;
        }
        tokens.push({ kind: 'string', text: value });
        j = k + 1;
        continue;
      }
      if (c === '`') {
        const k = text.indexOf('`', j + 1);
        if (k < 0) {
          problems.push(`line ${lineAt(j)}: unterminated raw quoted string`);
          return actions;
        }
        tokens.push({ kind: 'string', text: text.slice(j + 1, k) });
        j = k + 1;
        continue;
      }
      if (c === "'") {
        const m = /^'(?:\\.[^']*|[^'\\\n])'/.exec(text.slice(j));
        if (!m) {
          problems.push(`line ${lineAt(j)}: unterminated character constant`);
          return actions;
        }
        tokens.push({ kind: 'char', text: m[0] });
        j += m[0].length;
        continue;
      }
      if (text.startsWith(':=', j)) { tokens.push({ kind: 'punct', text: ':=' }); j += 2; continue; }
      if ('()|,='.includes(c)) { tokens.push({ kind: 'punct', text: c as '(' }); j++; continue; }
      const word = /^(?:\$[\w]*(?:\.[\w]+)*|\.(?:[\w]+(?:\.[\w]+)*)?|[+-]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)i?|[A-Za-z_][\w]*(?:\.[\w]+)*)/.exec(text.slice(j));
      if (!word) {
        problems.push(`line ${lineAt(j)}: unexpected "${c}" in command`);
        // Skip to the end of this action.
        const end = text.indexOf('}}', j);
        j = end < 0 ? text.length : end;
        continue;
      }
      const w = word[0];
      if (w.startsWith('$')) tokens.push({ kind: 'var', text: w });
      else if (w.startsWith('.') && !/^\.\d/.test(w)) tokens.push({ kind: 'field', text: w });
      else if (/^[+-]?[\d.]/.test(w)) tokens.push({ kind: 'number', text: w });
      else if (w === 'true' || w === 'false') tokens.push({ kind: 'bool', text: w });
      else if (w === 'nil') tokens.push({ kind: 'bool', text: w });
      else if (w.includes('.')) tokens.push({ kind: 'word', text: w.split('.')[0] }); // a function's result field: (f).X is rare; f.X is a field chain on a function, Go refuses unless f exists
      else tokens.push({ kind: 'word', text: w });
      j += w.length;
    }
    if (!closed) {
      problems.push(`line ${line}: unclosed action: "{{" without "}}"`);
      return actions;
    }
    actions.push({ line, tokens });
    i = j;
  }
  return actions;
}
