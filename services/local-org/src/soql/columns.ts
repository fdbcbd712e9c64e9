import type { FieldDef } from '@handoff/schema';
import { apexType, describeType } from '../schema/field-types';
import type { CompiledQuery, RecordShape } from './compile';

/** One entry of `columnMetadata`, as `query?q=...&columns=true` returns it. */
export interface ColumnMetadata {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface ColumnsResponse {
  columnMetadata: ColumnMetadata[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string;
}

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'email',
  'phone',
  'url',
  'encryptedstring'
]);

function column(
  name: string,
  options: {
    displayName?: string;
    field?: FieldDef;
    aggregate?: boolean;
    apexType?: string;
    joinColumns?: ColumnMetadata[];
  } = {}
): ColumnMetadata {
  const { field } = options;
  const type = field ? describeType(field) : undefined;
  const apex = options.apexType ?? (field ? apexType(field) : null);
  return {
    aggregate: options.aggregate ?? false,
    apexType: apex,
    booleanType: type === 'boolean',
    columnName: name,
    custom: field?.custom ?? false,
    displayName: options.displayName ?? name,
    foreignKeyName: null,
    insertable: field?.createable ?? false,
    joinColumns: options.joinColumns ?? [],
    numberType: type ? NUMBER_TYPES.has(type) : apex === 'Integer' || apex === 'Double',
    textType: type ? TEXT_TYPES.has(type) : false,
    updatable: field?.updateable ?? false
  };
}

function shapeColumns(shape: RecordShape): ColumnMetadata[] {
  return shape.entries.map((entry) => {
    if (entry.kind === 'field') return column(entry.name, { field: entry.field });
    if (entry.kind === 'parent') return column(entry.name, { joinColumns: shapeColumns(entry.shape) });
    return column(entry.name, { aggregate: true, joinColumns: shapeColumns(entry.query.shape) });
  });
}

export function columnMetadata(compiled: CompiledQuery): ColumnsResponse {
  let columns: ColumnMetadata[];
  if (compiled.mode === 'count') {
    columns = [column('expr0', { displayName: 'COUNT()', aggregate: true, apexType: 'Integer' })];
  } else if (compiled.mode === 'aggregate') {
    columns = compiled.aggregates.map((aggregate) => {
      const counted = aggregate.fn === 'COUNT' || aggregate.fn === 'COUNT_DISTINCT';
      return column(aggregate.name, {
        displayName: aggregate.displayName,
        aggregate: aggregate.aggregate,
        field: counted ? undefined : aggregate.field,
        apexType: counted ? 'Integer' : aggregate.field ? undefined : 'Double'
      });
    });
  } else {
    columns = shapeColumns(compiled.shape);
  }
  return {
    columnMetadata: columns,
    entityName: compiled.object.name,
    groupBy: compiled.groupBy.length > 0,
    idSelected: compiled.shape.entries.some((entry) => entry.kind === 'field' && entry.field.type === 'Id'),
    keyPrefix: compiled.object.keyPrefix
  };
}
