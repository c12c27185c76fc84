/**
 * Glob patterns as agents write them (`**\/*.ts`, `src/{a,b}/*.json`, `?`, `[a-z]`), compiled to
 * a RegExp over `/`-separated relative paths. Written here rather than taken from a package:
 * `fs.glob` and `path.matchesGlob` exist only from Node 22 (and are experimental there), while
 * unit tests run on Node 20, and the matcher is small. `*` also matches names starting with a
 * dot, because hidden config (`.github/workflows/*.yml`) is often what an agent looks for; the
 * walker skips `.git` and `node_modules` by name instead.
 */
const MAX_BRACE_EXPANSIONS = 256;

export function globToRegExp(pattern: string): RegExp {
  const alternatives = expandBraces(pattern).map(compileOne);
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/** Whether a pattern names a directory the walker skips by default (so `node_modules/x/**` works). */
export function patternNames(pattern: string, name: string): boolean {
  return pattern.split(/[/{},]/).includes(name);
}

function compileOne(pattern: string): string {
  const segments = pattern.split('/').filter((segment, index) => segment !== '' || index === 0);
  let out = '';
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      out += last ? '.*' : '(?:[^/]*/)*';
      return;
    }
    out += compileSegment(segment) + (last ? '' : '/');
  });
  return out;
}

function compileSegment(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === '\\' && i + 1 < segment.length) {
      out += escapeRegExp(segment[++i]!);
    } else if (char === '*') {
      while (segment[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      out += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else {
      out += escapeRegExp(char);
    }
  }
  return out;
}

/** `a{b,c{d,e}}f` -> abf, acdf, acef; a brace without a top-level comma stays literal. */
function expandBraces(pattern: string): string[] {
  const results: string[] = [];
  const pending = [pattern];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const group = findBraceGroup(current);
    if (!group || results.length + pending.length >= MAX_BRACE_EXPANSIONS) {
      results.push(current);
      continue;
    }
    const prefix = current.slice(0, group.open);
    const suffix = current.slice(group.close + 1);
    for (const option of group.options.reverse()) pending.push(prefix + option + suffix);
  }
  return results;
}

function findBraceGroup(pattern: string): { open: number; close: number; options: string[] } | undefined {
  for (let open = pattern.indexOf('{'); open !== -1; open = pattern.indexOf('{', open + 1)) {
    if (open > 0 && pattern[open - 1] === '\\') continue;
    let depth = 0;
    let start = open + 1;
    const options: string[] = [];
    for (let i = open; i < pattern.length; i++) {
      const char = pattern[i];
      if (char === '\\') i++;
      else if (char === '{') depth++;
      else if (char === ',' && depth === 1) {
        options.push(pattern.slice(start, i));
        start = i + 1;
      } else if (char === '}' && --depth === 0) {
        if (options.length === 0) break;
        options.push(pattern.slice(start, i));
        return { open, close: i, options };
      }
    }
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
