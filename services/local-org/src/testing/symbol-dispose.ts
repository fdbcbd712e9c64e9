import { addAbortListener } from 'node:events';

/**
 * Node 22 defines `Symbol.dispose` itself (V8 12 lacks it), but only in the main realm: inside jest's test context
 * `Symbol.dispose` is undefined, so undici (jsforce 3's HTTP client) gets `undefined` from
 * `addAbortListener(...)[Symbol.dispose]` and every request ends in "removeAbortListener is not a function". Give
 * the test context Node's symbols.
 */
export function installDisposeSymbols(): void {
  const symbols = Symbol as unknown as Record<string, symbol | undefined>;
  if (symbols.dispose) return;
  const disposable = addAbortListener(new AbortController().signal, () => undefined);
  const [dispose] = Object.getOwnPropertySymbols(disposable);
  if (dispose) Object.defineProperty(Symbol, 'dispose', { value: dispose, configurable: true });
  (disposable as unknown as Record<symbol, (() => void) | undefined>)[dispose!]?.();
  if (!symbols.asyncDispose) {
    Object.defineProperty(Symbol, 'asyncDispose', { value: Symbol.for('nodejs.asyncDispose'), configurable: true });
  }
}
