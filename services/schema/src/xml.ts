import * as fs from 'node:fs';
import { SaxesParser } from 'saxes';

/** An element of a metadata XML file, with the line it starts on so checks can point at it. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside this element, trimmed. */
  text: string;
  line: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string
  ) {
    super(`${file}:${line}:${column} ${reason}`);
    this.name = 'XmlSyntaxError';
  }
}

/** Parses XML text strictly (well-formedness errors throw XmlSyntaxError with the line). */
export function parseXml(text: string, file = '<xml>'): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  const texts: string[][] = [];
  let root: XmlElement | undefined;
  let failure: XmlSyntaxError | undefined;

  parser.on('error', (error) => {
    if (!failure) {
      let reason = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
      if (/close tag/.test(reason)) {
        const before = text.slice(0, parser.position);
        const closing = /<\/([^\s>]*)\s*>?$/.exec(before.slice(before.lastIndexOf('</')));
        if (closing) reason += ` </${closing[1]}>`;
      }
      failure = new XmlSyntaxError(file, parser.line, parser.column, reason);
    }
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      name: tag.name,
      attributes: Object.fromEntries(Object.entries(tag.attributes).map(([key, value]) => [key, String(value)])),
      children: [],
      text: '',
      line: parser.line
    };
    stack[stack.length - 1]?.children.push(element);
    stack.push(element);
    texts.push([]);
    root ??= element;
  });
  parser.on('text', (value) => texts[texts.length - 1]?.push(value));
  parser.on('cdata', (value) => texts[texts.length - 1]?.push(value));
  parser.on('closetag', () => {
    const element = stack.pop();
    const own = texts.pop();
    if (element && own) element.text = own.join('').trim();
  });

  parser.write(text).close();
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError(file, 1, 1, 'no root element');
  return root;
}

export function readXmlFile(path: string, displayName = path): XmlElement {
  return parseXml(fs.readFileSync(path, 'utf8'), displayName);
}

/** First child element with this name. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((candidate) => candidate.name === name);
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((candidate) => candidate.name === name);
}

/** Text of the first child with this name, or undefined when absent. */
export function textOf(element: XmlElement, name: string): string | undefined {
  return child(element, name)?.text;
}
