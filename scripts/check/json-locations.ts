/**
 * Lines of the values in a JSON text by JSON pointer (`/packageDirectories/0/path`), so a schema error can point at
 * the line it is about. Also the line of each property's key (`key:` + pointer), where an unknown property is
 * reported. The text must already be valid JSON (JSON.parse it first).
 */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let offset = 0;
  let line = 1;
  const advance = (count: number): void => {
    for (let i = 0; i < count; i++) if (text.charCodeAt(offset + i) === 10) line++;
    offset += count;
  };
  const at = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = offset;
    return pattern.exec(text)?.[0];
  };
  const skipSpace = (): void => advance(at(/\s*/y)?.length ?? 0);
  const readString = (): string => {
    const match = at(/"(?:[^"\\]|\\.)*"/y);
    if (match === undefined) throw new Error(`expected a string at line ${line}`);
    advance(match.length);
    return JSON.parse(match) as string;
  };
  const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
  const value = (pointer: string): void => {
    skipSpace();
    lines.set(pointer, line);
    const next = text[offset];
    if (next === '{') {
      advance(1);
      skipSpace();
      while (text[offset] !== '}') {
        const keyLine = line;
        const key = readString();
        lines.set(`key:${pointer}/${escape(key)}`, keyLine);
        skipSpace();
        advance(1); // ':'
        value(`${pointer}/${escape(key)}`);
        skipSpace();
        if (text[offset] === ',') advance(1);
        skipSpace();
      }
      advance(1);
    } else if (next === '[') {
      advance(1);
      skipSpace();
      for (let index = 0; text[offset] !== ']'; index++) {
        value(`${pointer}/${index}`);
        skipSpace();
        if (text[offset] === ',') advance(1);
        skipSpace();
      }
      advance(1);
    } else if (next === '"') {
      readString();
    } else {
      advance(at(/[^\s,\]}]+/y)?.length ?? 1);
    }
  };
  value('');
  return lines;
}
