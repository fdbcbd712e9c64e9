import type { FieldDef } from '@handoff/schema';
import type { CompiledQuery, RecordShape } from '../soql/compile';
import { toCsvValue } from '../store/output';
import type { Store } from '../store/store';

interface CsvColumn {
  path: string;
  column: string;
  field: FieldDef;
  /** Id columns of the parents on the way; a missing parent leaves the cell empty. */
  parents: string[];
}

function flatten(shape: RecordShape, prefix: string, parents: string[]): CsvColumn[] {
  return shape.entries.flatMap((entry) => {
    if (entry.kind === 'field')
      return [{ path: prefix + entry.name, column: entry.column, field: entry.field, parents }];
    if (entry.kind === 'parent')
      return flatten(entry.shape, `${prefix}${entry.name}.`, [...parents, entry.shape.idColumn]);
    return [];
  });
}

/** A Bulk API 2.0 query's result as CSV cells: one column per selected field path (`Account.Name`). */
export function runQueryJob(store: Store, compiled: CompiledQuery): { header: string[]; rows: string[][] } {
  const columns = flatten(compiled.shape, '', []);
  const { rows } = store.queries.run(compiled);
  return {
    header: columns.map((column) => column.path),
    rows: rows.map((row) =>
      columns.map((column) =>
        column.parents.some((parent) => row[parent] === null || row[parent] === undefined)
          ? ''
          : toCsvValue(column.field, row[column.column])
      )
    )
  };
}
