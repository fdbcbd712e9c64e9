import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type {
  Condition,
  FieldRef,
  FnRef,
  Literal,
  LiteralType,
  Operator,
  OrderItem,
  SelectItem,
  SoqlQuery,
  ValueExpr
} from './ast';
import { malformed } from './errors';

type Loose = Record<string, unknown>;

const isLoose = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Parses SOQL into the local org's AST; syntax errors become MALFORMED_QUERY in Salesforce's format. */
export function parseSoql(soql: string): SoqlQuery {
  let parsed: Loose;
  try {
    parsed = parseQuery(soql) as unknown as Loose;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const found = /but found: '([^']*)'/.exec(text)?.[1];
    const lexing = /unexpected character: ->(.)<-/.exec(text)?.[1];
    const token = found ?? lexing;
    throw malformed(soql, `unexpected token: ${token ? `'${token}'` : '<EOF>'}`, token || undefined);
  }
  return new Converter(soql).query(parsed, false);
}

class Converter {
  constructor(private readonly soql: string) {}

  query(node: Loose, isSubquery: boolean): SoqlQuery {
    const from = String(isSubquery ? node.relationshipName : node.sObject);
    if (node.withDataCategory)
      throw malformed(this.soql, 'WITH DATA CATEGORY is not supported by the local org', 'WITH');
    const groupBy = asArray(node.groupBy as Loose | Loose[] | undefined).map((item) => {
      if (isLoose(item.fn) && /^(ROLLUP|CUBE)$/i.test(String(item.fn.functionName))) {
        throw malformed(
          this.soql,
          `GROUP BY ${String(item.fn.functionName).toUpperCase()} is not supported by the local org`,
          String(item.fn.functionName)
        );
      }
      return this.valueExpr(item);
    });
    return {
      from,
      alias: typeof node.sObjectAlias === 'string' ? node.sObjectAlias : undefined,
      select: asArray(node.fields as Loose[] | undefined).map((field) => this.selectItem(field)),
      where: node.where ? this.condition(node.where as Loose) : undefined,
      groupBy,
      having: node.having ? this.condition(node.having as Loose) : undefined,
      orderBy: asArray(node.orderBy as Loose | Loose[] | undefined).map((item) => this.orderItem(item)),
      limit: typeof node.limit === 'number' ? node.limit : undefined,
      offset: typeof node.offset === 'number' ? node.offset : undefined,
      scope: typeof node.usingScope === 'string' ? node.usingScope.toLowerCase() : undefined
    };
  }

  private fieldRef(raw: string): FieldRef {
    return { kind: 'field', path: raw.split('.'), raw };
  }

  private fn(node: Loose): FnRef {
    const name = String(node.functionName ?? node.fn ?? '').toUpperCase();
    const args = asArray(node.parameters as (string | Loose)[] | undefined).map((arg) =>
      typeof arg === 'string' ? this.fieldRef(arg) : this.fn(arg)
    );
    return {
      kind: 'fn',
      name,
      args,
      raw: String(node.rawValue ?? `${name}(${args.map((arg) => arg.raw).join(', ')})`)
    };
  }

  private valueExpr(node: Loose): ValueExpr {
    if (isLoose(node.fn)) return this.fn(node.fn);
    return this.fieldRef(String(node.field));
  }

  private selectItem(node: Loose): SelectItem {
    const alias = typeof node.alias === 'string' ? node.alias : undefined;
    switch (node.type) {
      case 'Field':
        return { kind: 'field', ref: this.fieldRef(String(node.rawValue ?? node.field)), alias };
      case 'FieldRelationship':
        return {
          kind: 'field',
          ref: this.fieldRef(String(node.rawValue ?? [...(node.relationships as string[]), node.field].join('.'))),
          alias
        };
      case 'FieldSubquery':
        return { kind: 'subquery', query: this.query(node.subquery as Loose, true) };
      case 'FieldFunctionExpression': {
        if (String(node.functionName).toUpperCase() === 'FIELDS') {
          const mode = String(asArray(node.parameters as string[])[0] ?? '').toUpperCase();
          if (mode !== 'ALL' && mode !== 'STANDARD' && mode !== 'CUSTOM')
            throw malformed(this.soql, 'FIELDS needs ALL, STANDARD or CUSTOM', 'FIELDS');
          return { kind: 'fields', mode };
        }
        return { kind: 'fn', fn: this.fn(node), alias };
      }
      default:
        throw malformed(this.soql, 'TYPEOF is not supported by the local org', 'TYPEOF');
    }
  }

  private orderItem(node: Loose): OrderItem {
    return {
      expr: this.valueExpr(node),
      descending: node.order === 'DESC',
      nulls: node.nulls === 'FIRST' || node.nulls === 'LAST' ? node.nulls : undefined
    };
  }

  private literals(node: Loose): Literal[] {
    const values = asArray(node.value as string | string[] | undefined);
    const types = node.literalType;
    return values.map((text, index) => ({
      type: this.literalType(Array.isArray(types) ? types[index] : types),
      text: String(text)
    }));
  }

  private literalType(type: unknown): LiteralType {
    switch (type) {
      case 'STRING':
      case 'INTEGER':
      case 'DECIMAL':
      case 'BOOLEAN':
      case 'NULL':
      case 'DATE':
      case 'DATETIME':
      case 'DATE_LITERAL':
      case 'DATE_N_LITERAL':
        return type;
      case 'APEX_BIND_VARIABLE':
        throw malformed(this.soql, 'bind variables are only allowed in Apex code', ':');
      default:
        return 'OTHER';
    }
  }

  private leaf(node: Loose): Condition {
    const operator = String(node.operator).toUpperCase() as Operator;
    const lhs = this.valueExpr(node);
    if (node.literalType === 'SUBQUERY' && isLoose(node.valueQuery)) {
      return { kind: 'compare', lhs, operator, values: [], list: true, subquery: this.query(node.valueQuery, false) };
    }
    return { kind: 'compare', lhs, operator, values: this.literals(node), list: Array.isArray(node.value) };
  }

  /**
   * The parser links conditions as a right-leaning chain with parenthesis counts on the leaves; this flattens it
   * to tokens and parses them again with SOQL's rules: NOT binds to the next term, AND and OR may not be mixed
   * without parentheses.
   */
  condition(node: Loose): Condition {
    const tokens: (string | Condition)[] = [];
    const walk = (current: Loose | undefined): void => {
      if (!current) return;
      const left = current.left as Loose | null | undefined;
      if (current.operator === 'NOT' && (!left || !('operator' in left))) {
        for (let i = 0; i < Number(left?.openParen ?? 0); i++) tokens.push('(');
        tokens.push('NOT');
        walk(current.right as Loose | undefined);
        return;
      }
      if (left) {
        for (let i = 0; i < Number(left.openParen ?? 0); i++) tokens.push('(');
        tokens.push(this.leaf(left));
        for (let i = 0; i < Number(left.closeParen ?? 0); i++) tokens.push(')');
      }
      if (current.operator === 'AND' || current.operator === 'OR') {
        tokens.push(current.operator);
        walk(current.right as Loose | undefined);
      }
    };
    walk(node);
    let position = 0;
    const peek = () => tokens[position];
    const unary = (): Condition => {
      const token = tokens[position++];
      if (token === 'NOT') return { kind: 'not', operand: unary() };
      if (token === '(') {
        const inner = group();
        if (tokens[position++] !== ')') throw malformed(this.soql, "unexpected token: ')'", ')');
        return inner;
      }
      if (token === undefined || typeof token === 'string') {
        throw malformed(this.soql, `unexpected token: ${token ?? '<EOF>'}`, token);
      }
      return token;
    };
    const group = (): Condition => {
      let result = unary();
      let joiner: string | undefined;
      while (peek() === 'AND' || peek() === 'OR') {
        const operator = tokens[position++] as 'AND' | 'OR';
        if (joiner && joiner !== operator) throw malformed(this.soql, `unexpected token: ${operator}`, operator);
        joiner = operator;
        result = { kind: operator === 'AND' ? 'and' : 'or', left: result, right: unary() };
      }
      return result;
    };
    const result = group();
    if (position < tokens.length) throw malformed(this.soql, `unexpected token: ${String(peek())}`);
    return result;
  }
}
