/**
 * Shared helpers for query validation: offsets to line/column, and a hint for the commonest typo
 * (unbalanced brackets or quotes), so both the PromQL and the LogQL checks say what to write.
 */

/** One problem found in a query string. Offsets are 0-based; line and column are 1-based. */
export interface QueryIssue {
  readonly from: number;
  readonly to: number;
  readonly line: number;
  readonly column: number;
  /** What is wrong and what to write instead. */
  readonly message: string;
}

/** 1-based line and column of a 0-based offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** The text around an error offset, quoted on one line, for messages. */
export function excerpt(text: string, from: number, to: number): string {
  const start = Math.max(0, from - 15);
  const end = Math.min(text.length, Math.max(to, from + 1) + 15);
  const s = text.slice(start, end).replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${s}${end < text.length ? '…' : ''}`;
}

/** Quote-aware bracket balance check; returns a fix suggestion or undefined when balanced. */
export function bracketHint(text: string): string | undefined {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (pairs[c]) stack.push(c);
    else if (closers[c]) {
      if (stack.length === 0 || stack[stack.length - 1] !== closers[c]) {
        return `remove the unmatched '${c}' or add the '${closers[c]}' it closes`;
      }
      stack.pop();
    }
  }
  if (quote) return `close the string opened with ${quote}`;
  if (stack.length > 0) return `add the missing '${pairs[stack[stack.length - 1]]}'`;
  return undefined;
}

/** Build an issue at [from, to) with a message; adds line/column. */
export function issueAt(text: string, from: number, to: number, message: string): QueryIssue {
  const { line, column } = lineColumn(text, from);
  return { from, to, line, column, message };
}
