import type { ObjectDef } from '@handoff/schema';
import { RecordError, SalesforceError, notFound } from '../../errors';
import { apiRecord, recordUrl } from '../../store/api-record';
import type { WriteOperation, WriteResult } from '../../store/store';
import { coerceValue } from '../../store/values';
import type { ApiRequest, ApiResponse, Router } from '../router';
import type { OrgRuntime } from '../runtime';

/** The record body of a write: a JSON object. */
export function recordBody(request: ApiRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SalesforceError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of sObject from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE_STRING'} value or request may be missing a required field at [line:1, column:1]`
    );
  }
  return body as Record<string, unknown>;
}

export function requireObject(org: OrgRuntime, name: string): ObjectDef {
  const object = org.schema.object(name);
  if (!object) throw notFound();
  return object;
}

/** A failed single-record write as the REST API answers it: 400 with every error. */
export function failure(result: WriteResult): ApiResponse {
  return {
    status: 400,
    body: result.errors.map((error) => ({ message: error.message, errorCode: error.statusCode, fields: error.fields }))
  };
}

/** The live record an Id in a URL names, or the 404 Salesforce answers. */
function targetId(org: OrgRuntime, object: ObjectDef, value: string): string {
  try {
    return org.store.writer.existingId(object, value);
  } catch (error) {
    if (error instanceof RecordError && error.statusCode === 'ENTITY_IS_DELETED') {
      throw new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    }
    throw notFound();
  }
}

function externalIdMatches(org: OrgRuntime, object: ObjectDef, fieldName: string, value: string): string[] {
  const field = org.schema.field(object.name, fieldName);
  if (!field || !(field.externalId || field.unique)) {
    throw new SalesforceError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`
    );
  }
  try {
    return org.store.writer.findByField(object, field, coerceValue(org.schema, object, field, value));
  } catch {
    return [];
  }
}

const multipleChoices = (version: string, object: ObjectDef, ids: string[]): ApiResponse => ({
  status: 300,
  body: ids.map((id) => recordUrl(version, object.name, id))
});

function selectedFields(org: OrgRuntime, object: ObjectDef, fields: string | undefined) {
  return fields ? selectedFieldsOf(org, object, fields.split(',')) : undefined;
}

/** Fields named in a `fields` parameter, or INVALID_FIELD for the first unknown one. */
export function selectedFieldsOf(org: OrgRuntime, object: ObjectDef, names: string[]) {
  return names
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const field = org.schema.field(object.name, name);
      if (!field) {
        throw new SalesforceError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${object.name}`);
      }
      return field;
    });
}

/** `Sforce-Duplicate-Rule-Header: allowSave=true` (REST API Developer Guide, "Duplicate Rule Header"). */
export function allowSaveOf(request: ApiRequest): boolean {
  const header = request.headers['sforce-duplicate-rule-header'] ?? '';
  return header.split(/[;,]/).some((part) => /^\s*allowSave\s*=\s*true\s*$/i.test(part));
}

function write(org: OrgRuntime, operation: WriteOperation, request?: ApiRequest): WriteResult {
  return org.store.write([operation], { allowSave: request ? allowSaveOf(request) : false })[0]!;
}

/** sObject Rows: `/sobjects/X`, `/sobjects/X/{id}`, `/sobjects/X/{externalIdField}/{value}`. */
export function recordRoutes(router: Router, org: OrgRuntime): void {
  const create = (request: ApiRequest, object: ObjectDef): ApiResponse => {
    const result = write(org, { kind: 'insert', object: object.name, values: recordBody(request) }, request);
    if (!result.success) return failure(result);
    return { status: 201, body: { id: result.id, success: true, errors: [] } };
  };

  router.add('POST', '/sobjects/:object', (request, { object }) => create(request, requireObject(org, object!)));

  router.add('GET', '/sobjects/:object/:id', (request, params) => {
    const object = requireObject(org, params.object!);
    const fields = selectedFields(org, object, request.query.fields);
    const id = targetId(org, object, params.id!);
    const row = org.store.writer.get(object, id)!;
    return { status: 200, body: apiRecord(object, row, { version: request.version, fields }) };
  });

  router.add('PATCH', '/sobjects/:object/:id', (request, params) => {
    const object = requireObject(org, params.object!);
    const id = targetId(org, object, params.id!);
    const result = write(org, { kind: 'update', object: object.name, id, values: recordBody(request) }, request);
    return result.success ? { status: 204 } : failure(result);
  });

  router.add('DELETE', '/sobjects/:object/:id', (_request, params) => {
    const object = requireObject(org, params.object!);
    const id = targetId(org, object, params.id!);
    const result = write(org, { kind: 'delete', object: object.name, id });
    return result.success ? { status: 204 } : failure(result);
  });

  // POST /sobjects/X/Id creates a record: Id as the external id field with a null value (API 37.0+).
  router.add('POST', '/sobjects/:object/:field', (request, params) => {
    const object = requireObject(org, params.object!);
    if (params.field!.toLowerCase() !== 'id') throw notFound();
    return create(request, object);
  });

  router.add('GET', '/sobjects/:object/:field/:value', (request, params) => {
    const object = requireObject(org, params.object!);
    const fields = selectedFields(org, object, request.query.fields);
    const ids = externalIdMatches(org, object, params.field!, params.value!);
    if (ids.length === 0) throw notFound();
    if (ids.length > 1) return multipleChoices(request.version, object, ids);
    return {
      status: 200,
      body: apiRecord(object, org.store.writer.get(object, ids[0]!)!, { version: request.version, fields })
    };
  });

  router.add('PATCH', '/sobjects/:object/:field/:value', (request, params) => {
    const object = requireObject(org, params.object!);
    const fieldName = params.field!;
    const field = org.schema.field(object.name, fieldName);
    if (!field || !(field.externalId || field.type === 'Id' || field.unique)) {
      throw new SalesforceError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${fieldName}`
      );
    }
    const values = recordBody(request);
    if (field.type === 'Id') {
      const id = targetId(org, object, params.value!);
      const result = write(org, { kind: 'update', object: object.name, id, values }, request);
      return result.success ? { status: 204 } : failure(result);
    }
    const result = write(
      org,
      { kind: 'upsert', object: object.name, externalIdField: field.name, externalId: params.value, values },
      request
    );
    if (!result.success) {
      if (result.errors[0]?.statusCode === 'DUPLICATE_EXTERNAL_ID') {
        return multipleChoices(request.version, object, externalIdMatches(org, object, field.name, params.value!));
      }
      return failure(result);
    }
    if (result.created) return { status: 201, body: { id: result.id, success: true, errors: [], created: true } };
    // Before API 46.0 an update through upsert answered 204; since then 200 with `created: false`.
    if (Number(request.version) < 46) return { status: 204 };
    return { status: 200, body: { id: result.id, success: true, errors: [], created: false } };
  });

  router.add('DELETE', '/sobjects/:object/:field/:value', (request, params) => {
    const object = requireObject(org, params.object!);
    const ids = externalIdMatches(org, object, params.field!, params.value!);
    if (ids.length === 0) throw notFound();
    if (ids.length > 1) return multipleChoices(request.version, object, ids);
    const result = write(org, { kind: 'delete', object: object.name, id: ids[0]! });
    return result.success ? { status: 204 } : failure(result);
  });
}
