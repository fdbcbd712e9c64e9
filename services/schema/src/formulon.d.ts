/** The parts of formulon's API the schema uses (the package ships no types). */
declare module 'formulon' {
  export function ast(formula: string): unknown;
  export function parse(formula: string, substitutions?: Record<string, unknown>): unknown;
  export function extract(formula: string): string[];
}
