import { SalesforceError } from '../errors';

/**
 * A query error in Salesforce's style: the query, a caret under the offending token, its row and column, then the
 * explanation (`\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' ...`).
 */
export function queryError(soql: string, errorCode: string, explanation: string, token?: string): SalesforceError {
  let offset = 0;
  if (token) {
    const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`(^|[^\\w.])(${escaped})(?![\\w])`, 'i').exec(soql);
    if (match) offset = match.index + match[1]!.length;
  }
  const before = soql.slice(0, offset).split('\n');
  const row = before.length;
  const column = before[before.length - 1]!.length + 1;
  const line = soql.split('\n')[row - 1] ?? soql;
  const message = `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${explanation}`;
  return new SalesforceError(400, errorCode, message);
}

export const malformed = (soql: string, explanation: string, token?: string) =>
  queryError(soql, 'MALFORMED_QUERY', explanation, token);

export const noSuchColumn = (soql: string, field: string, object: string) =>
  queryError(
    soql,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    field
  );

export const unsupportedType = (soql: string, object: string) =>
  queryError(
    soql,
    'INVALID_TYPE',
    `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    object
  );

export const badRelationship = (soql: string, relationship: string, where: 'FROM' | 'field path') =>
  queryError(
    soql,
    where === 'FROM' ? 'INVALID_TYPE' : 'INVALID_FIELD',
    where === 'FROM'
      ? `Didn't understand relationship '${relationship}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
      : `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    relationship
  );

export const filterError = (soql: string, explanation: string, token?: string) =>
  queryError(soql, 'INVALID_QUERY_FILTER_OPERATOR', explanation, token);
