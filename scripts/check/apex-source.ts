/**
 * Just enough reading of Apex source for cross-reference checks: find inline SOQL and the methods a class
 * declares. Comments and string contents are blanked first (same length, newlines kept) so offsets map back to
 * lines of the original file.
 */

/** Blanks comments and the inside of string literals, keeping every offset and newline in place. */
export function maskApex(source: string): string {
  const out = source.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== "'") j += source[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

export interface InlineQuery {
  /** The SOQL text between the brackets, as written (strings intact). */
  soql: string;
  /** Offset of the first character of `soql` in the file. */
  offset: number;
}

/** Every `[SELECT ...]` in the file. */
export function inlineQueries(source: string, masked = maskApex(source)): InlineQuery[] {
  const queries: InlineQuery[] = [];
  const opener = /\[\s*select\b/gi;
  for (let match = opener.exec(masked); match; match = opener.exec(masked)) {
    let depth = 0;
    let end = -1;
    for (let k = match.index; k < masked.length; k++) {
      if (masked[k] === '[') depth++;
      else if (masked[k] === ']' && --depth === 0) {
        end = k;
        break;
      }
    }
    if (end === -1) break;
    queries.push({ soql: source.slice(match.index + 1, end), offset: match.index + 1 });
    opener.lastIndex = end;
  }
  return queries;
}

export interface ApexMethod {
  name: string;
  isStatic: boolean;
  annotations: string[];
  offset: number;
}

const MODIFIERS =
  /\b(public|private|protected|global|static|virtual|override|abstract|webservice|testmethod|final|transient)\b/gi;

/**
 * Methods declared directly in the top-level class body (not in inner classes): annotations, modifiers, a return
 * type, a name and an opening parenthesis. Constructors have no return type and are not methods here.
 */
export function declaredMethods(source: string, masked = maskApex(source)): ApexMethod[] {
  const depthAt = new Int32Array(masked.length + 1);
  let depth = 0;
  for (let k = 0; k < masked.length; k++) {
    depthAt[k] = depth;
    if (masked[k] === '{') depth++;
    else if (masked[k] === '}') depth--;
  }
  const declaration =
    /((?:@\w+(?:\s*\([^)]*\))?\s*)*)((?:\b(?:public|private|protected|global|static|virtual|override|abstract|webservice|testmethod|final|transient)\b\s+)*)([A-Za-z_][\w.]*(?:\s*<[\w\s.,<>]*>)?(?:\s*\[\s*\])?)\s+([A-Za-z_]\w*)\s*\(/g;
  const methods: ApexMethod[] = [];
  for (let match = declaration.exec(masked); match; match = declaration.exec(masked)) {
    const [, annotationText = '', modifierText = '', returnType = '', name = ''] = match;
    if (depthAt[match.index] !== 1) continue;
    // A constructor reads as "modifier Name(": its would-be return type is a modifier or keyword.
    if (/^(new|return|else|if|for|while|when|switch|throw|catch)$/i.test(returnType)) continue;
    if (new RegExp(`^${MODIFIERS.source}$`, 'i').test(returnType)) continue;
    const modifiers = (modifierText.match(MODIFIERS) ?? []).map((modifier) => modifier.toLowerCase());
    methods.push({
      name,
      isStatic: modifiers.includes('static'),
      annotations: [...annotationText.matchAll(/@(\w+)/g)].map((annotation) => annotation[1]!.toLowerCase()),
      offset: match.index
    });
  }
  return methods;
}
