import { errorCodeOf } from './salesforce/errors';

export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/**
 * One JSON object per line, on stdout (errors on stderr): container platforms collect both streams and parse JSON
 * lines into searchable fields. An `error` field is reduced to its name, errorCode, message and stack.
 */
export function jsonLog(
  write: (level: LogLevel, line: string) => void = (level, line) =>
    (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`),
  now: () => Date = () => new Date()
): Log {
  return (level, message, fields = {}) => {
    const entry: Record<string, unknown> = { time: now().toISOString(), level, message, ...fields };
    if (fields.error !== undefined) entry.error = describeError(fields.error);
    write(level, JSON.stringify(entry));
  };
}

export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return { name: error.name, errorCode: errorCodeOf(error), message: error.message, stack: error.stack };
}
