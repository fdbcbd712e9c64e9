import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

/**
 * node:sqlite is reached through getBuiltinModule because jest's module registry does not know `node:` scheme-only
 * builtins. Node 22 flags the module experimental with a warning on first load; every process that starts a local
 * org (tests, CLI, benchmark) would print it, so that one warning is filtered while the module loads.
 */
function loadSqlite(): typeof import('node:sqlite') {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning instanceof Error ? warning.message : warning).includes('SQLite')) {
      (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
    }
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
}

const sqlite = loadSqlite();

export type SqlValue = SQLInputValue;
export type SqlRow = Record<string, SqlValue>;

/**
 * The org's SQLite database (node:sqlite, synchronous). Every statement runs on the event loop thread, so writes
 * are serialized by construction; `transaction` nests through savepoints so a batch, and each record in it, can be
 * rolled back on its own.
 */
export class Database {
  readonly raw: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly commitCallbacks: (() => void)[][] = [];

  constructor(file: string) {
    this.raw = new sqlite.DatabaseSync(file);
    // No temp_store = MEMORY: with the sub-journal in memory, releasing a savepoint nested in another (each record of
    // a batch) slowed down as the database grew, so seeding 100,000 rows took minutes instead of seconds.
    this.raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000');
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  all(sql: string, params: SqlValue[] = []): SqlRow[] {
    return this.statement(sql).all(...params) as SqlRow[];
  }

  get(sql: string, params: SqlValue[] = []): SqlRow | undefined {
    return this.statement(sql).get(...params) as SqlRow | undefined;
  }

  run(sql: string, params: SqlValue[] = []): void {
    this.statement(sql).run(...params);
  }

  exec(sql: string): void {
    this.raw.exec(sql);
  }

  /** Forgets prepared statements (after the tables changed shape). */
  clearStatements(): void {
    this.statements.clear();
  }

  get inTransaction(): boolean {
    return this.commitCallbacks.length > 0;
  }

  /** Runs `fn` atomically: the outermost call is a transaction, nested calls are savepoints. */
  transaction<T>(fn: () => T): T {
    const depth = this.commitCallbacks.length;
    const savepoint = `sp${depth}`;
    this.raw.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    this.commitCallbacks.push([]);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.commitCallbacks.pop();
      this.raw.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      throw error;
    }
    const callbacks = this.commitCallbacks.pop() ?? [];
    if (depth === 0) {
      this.raw.exec('COMMIT');
      for (const callback of callbacks) callback();
    } else {
      this.raw.exec(`RELEASE ${savepoint}`);
      this.commitCallbacks[depth - 1]!.push(...callbacks);
    }
    return result;
  }

  /** Runs `callback` once the outermost transaction commits (at once when none is open); dropped on rollback. */
  afterCommit(callback: () => void): void {
    const current = this.commitCallbacks[this.commitCallbacks.length - 1];
    if (current) current.push(callback);
    else callback();
  }

  close(): void {
    this.statements.clear();
    if (this.raw.isOpen) this.raw.close();
  }
}
