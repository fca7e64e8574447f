/**
 * A value that matches a simple regular expression, to show a person the expected form ("ESG-12345678") instead of
 * the pattern (`^ESG-\d+$`). Understands what evidence patterns use: literals, escapes (\d \w \s \. …), classes
 * ([A-Z0-9]), groups with alternatives (the first is taken), and the quantifiers ? * + {n} {n,} {n,m}. Anything
 * else (lookarounds, backreferences) gives undefined, and the caller shows no example. The result is checked
 * against the pattern, so an example is never wrong.
 */
const DIGITS = '58231467';
const LETTERS = 'ABCDEFGH';

/** How many times a quantified part is repeated in the example. */
function repeats(q: string, unit: 'digit' | 'letter' | 'other'): number {
  if (q === '?') return 1; // shown: the example says what may be there
  if (q === '*') return unit === 'other' ? 0 : 3;
  if (q === '+') return unit === 'digit' ? 8 : unit === 'letter' ? 3 : 1;
  const m = /^\{(\d+)(,(\d*))?\}$/.exec(q);
  if (!m) return 1;
  const min = Number(m[1]);
  const max = m[3] ? Number(m[3]) : undefined;
  const wanted = unit === 'digit' ? 8 : unit === 'letter' ? 3 : 1;
  if (!m[2]) return min;
  return Math.max(min, max === undefined ? wanted : Math.min(max, wanted));
}

function sample(atom: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    if (atom === '\\d' || atom === '[0-9]') out += DIGITS[i % DIGITS.length];
    else if (atom === '\\w' || /^\[(\^)?.*[A-Za-z].*\]$/.test(atom)) out += pickFromClass(atom, i);
    else if (atom === '\\s') out += ' ';
    else if (atom.startsWith('[')) out += pickFromClass(atom, i);
    else out += atom.startsWith('\\') ? atom.slice(1) : atom === '.' ? 'x' : atom;
  }
  return out;
}

function pickFromClass(atom: string, i: number): string {
  if (atom === '\\w') return LETTERS[i % LETTERS.length]!;
  const body = atom.slice(1, -1);
  if (body.startsWith('^')) return 'x';
  if (/A-Z/.test(body)) return LETTERS[i % LETTERS.length]!;
  if (/a-z/.test(body)) return LETTERS[i % LETTERS.length]!.toLowerCase();
  if (/0-9|\\d/.test(body)) return DIGITS[i % DIGITS.length]!;
  const first = body.replace(/^\\/, '')[0];
  return first ?? 'x';
}

function build(src: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    let atom: string;
    let sub: string | undefined;
    if (c === '^' || c === '$') {
      i++;
      continue;
    }
    if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '\\') j++;
        else if (src[j] === '(') depth++;
        else if (src[j] === ')' && --depth === 0) break;
      }
      if (j >= src.length) return undefined;
      let inner = src.slice(i + 1, j);
      if (inner.startsWith('?:')) inner = inner.slice(2);
      else if (inner.startsWith('?')) return undefined;
      sub = build(firstAlternative(inner));
      if (sub === undefined) return undefined;
      atom = sub;
      i = j + 1;
    } else if (c === '[') {
      const j = src.indexOf(']', i + 1);
      if (j < 0) return undefined;
      atom = src.slice(i, j + 1);
      i = j + 1;
    } else if (c === '\\') {
      if (/[1-9bBk]/.test(src[i + 1] ?? '')) return undefined;
      atom = src.slice(i, i + 2);
      i += 2;
    } else if (c === '|') {
      break; // the first alternative of the whole pattern
    } else {
      atom = c;
      i++;
    }
    const q = /^(\{\d+(,\d*)?\}|[?*+])\??/.exec(src.slice(i));
    const quant = q ? q[1]! : '';
    if (q) i += q[0].length;
    const unit =
      atom === '\\d' || atom === '[0-9]' ? 'digit' : atom.startsWith('[') || atom === '\\w' ? 'letter' : 'other';
    const n = quant ? repeats(quant, sub === undefined ? unit : 'other') : 1;
    out += sub === undefined ? sample(atom, n) : sub.repeat(n);
  }
  return out;
}

function firstAlternative(s: string): string {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === '|' && depth === 0) return s.slice(0, i);
  }
  return s;
}

export function exampleOf(pattern: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    return undefined;
  }
  const example = build(pattern);
  return example && re.test(example) ? example : undefined;
}
