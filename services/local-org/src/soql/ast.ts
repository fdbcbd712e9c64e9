/** SOQL as the local org evaluates it, normalized from @jetstreamapp/soql-parser-js's output. */

export interface FieldRef {
  kind: 'field';
  /** Dotted path split into segments, e.g. `['Account', 'Owner', 'Name']`. */
  path: string[];
  raw: string;
}

export interface FnRef {
  kind: 'fn';
  /** Upper-cased function name: COUNT, SUM, CALENDAR_YEAR, TOLABEL, ... */
  name: string;
  args: (FieldRef | FnRef)[];
  raw: string;
}

export type ValueExpr = FieldRef | FnRef;

export type SelectItem =
  | { kind: 'field'; ref: FieldRef; alias?: string }
  | { kind: 'fn'; fn: FnRef; alias?: string }
  | { kind: 'subquery'; query: SoqlQuery }
  | { kind: 'fields'; mode: 'ALL' | 'STANDARD' | 'CUSTOM' };

export type LiteralType =
  | 'STRING'
  | 'INTEGER'
  | 'DECIMAL'
  | 'BOOLEAN'
  | 'NULL'
  | 'DATE'
  | 'DATETIME'
  | 'DATE_LITERAL'
  | 'DATE_N_LITERAL'
  | 'OTHER';

export interface Literal {
  type: LiteralType;
  /** The literal as written (strings still quoted and escaped). */
  text: string;
}

export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN' | 'NOT IN' | 'INCLUDES' | 'EXCLUDES';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; lhs: ValueExpr; operator: Operator; values: Literal[]; list: boolean; subquery?: SoqlQuery };

export interface OrderItem {
  expr: ValueExpr;
  descending: boolean;
  nulls?: 'FIRST' | 'LAST';
}

export interface SoqlQuery {
  /** Object name, or the child relationship name of a subquery. */
  from: string;
  alias?: string;
  select: SelectItem[];
  where?: Condition;
  groupBy: ValueExpr[];
  having?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
  scope?: string;
}
