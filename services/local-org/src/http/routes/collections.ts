import { RecordError, SalesforceError } from '../../errors';
import { apiRecord } from '../../store/api-record';
import { normalizeId } from '../../store/ids';
import type { WriteOperation, WriteResult } from '../../store/store';
import type { ApiRequest, Router } from '../router';
import type { OrgRuntime } from '../runtime';
import { allowSaveOf, requireObject, selectedFieldsOf } from './records';

const MAX_RECORDS = 200;

interface CollectionBody {
  allOrNone: boolean;
  records: Record<string, unknown>[];
}

function collectionBody(request: ApiRequest): CollectionBody {
  const body = request.body as { allOrNone?: unknown; records?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.records)) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be an object with a records array');
  }
  checkSize(body.records.length);
  return {
    allOrNone: body.allOrNone === true || body.allOrNone === 'true',
    records: body.records as Record<string, unknown>[]
  };
}

function checkSize(count: number): void {
  if (count > MAX_RECORDS) {
    throw new SalesforceError(400, 'EXCEEDED_ID_LIMIT', `Maximum number of records allowed is ${MAX_RECORDS}`);
  }
}

const typeOf = (record: Record<string, unknown>): string | undefined => {
  const attributes = record.attributes as { type?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : undefined;
};

const idOf = (record: Record<string, unknown>): string | undefined => {
  const entry = Object.entries(record).find(([key]) => key.toLowerCase() === 'id');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
};

/** Per-record results in the collections shape (`statusCode`, not `errorCode`). */
function results(list: WriteResult[], withCreated = false) {
  return list.map((result) => ({
    ...(result.id !== undefined ? { id: result.id } : {}),
    success: result.success,
    errors: result.errors.map((error) => error.toJSON()),
    ...(withCreated && result.success ? { created: result.created ?? false } : {})
  }));
}

/**
 * Runs operations that could be built, and reports the others (no type, no Id) as failures in place. With
 * allOrNone, a record that could not even be built rolls back the rest too.
 */
function runMixed(
  org: OrgRuntime,
  built: (WriteOperation | RecordError)[],
  allOrNone: boolean,
  request: ApiRequest
): WriteResult[] {
  const invalid = built.some((entry) => entry instanceof RecordError);
  const operations = built.filter((entry): entry is WriteOperation => !(entry instanceof RecordError));
  const written =
    invalid && allOrNone ? [] : org.store.write(operations, { allOrNone, allowSave: allowSaveOf(request) });
  let next = 0;
  return built.map((entry) => {
    if (entry instanceof RecordError) return { success: false, errors: [entry] };
    const operation = operations[next];
    const result = written[next++];
    if (result) return result;
    return {
      ...('id' in operation! ? { id: operation.id } : {}),
      success: false,
      errors: [
        new RecordError(
          'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          'Record rolled back because not all records were valid and the request was using AllOrNone header'
        )
      ]
    };
  });
}

/** sObject Collections: create, update, upsert, delete and retrieve up to 200 records per request. */
export function collectionRoutes(router: Router, org: OrgRuntime): void {
  router.add('POST', '/composite/sobjects', (request) => {
    const { allOrNone, records } = collectionBody(request);
    const built = records.map((record): WriteOperation | RecordError => {
      const type = typeOf(record);
      if (!type) return new RecordError('INVALID_TYPE', 'Must send a concrete entity type.');
      return { kind: 'insert', object: type, values: record };
    });
    return { status: 200, body: results(runMixed(org, built, allOrNone, request)) };
  });

  router.add('PATCH', '/composite/sobjects', (request) => {
    const { allOrNone, records } = collectionBody(request);
    const built = records.map((record): WriteOperation | RecordError => {
      const type = typeOf(record);
      const id = idOf(record);
      if (!type) return new RecordError('INVALID_TYPE', 'Must send a concrete entity type.');
      if (!id) return new RecordError('MISSING_ARGUMENT', 'Id not specified in an update call');
      return { kind: 'update', object: type, id, values: record };
    });
    return { status: 200, body: results(runMixed(org, built, allOrNone, request)) };
  });

  router.add('DELETE', '/composite/sobjects', (request) => {
    const ids = (request.query.ids ?? '').split(',').filter(Boolean);
    checkSize(ids.length);
    const allOrNone = request.query.allOrNone === 'true';
    const operations = ids.map((id): WriteOperation => ({ kind: 'delete', id }));
    return { status: 200, body: results(org.store.write(operations, { allOrNone })) };
  });

  router.add('PATCH', '/composite/sobjects/:object/:field', (request, params) => {
    const object = requireObject(org, params.object!);
    const { allOrNone, records } = collectionBody(request);
    const built = records.map((record): WriteOperation | RecordError => {
      const type = typeOf(record) ?? object.name;
      if (type.toLowerCase() !== object.name.toLowerCase()) {
        return new RecordError('INVALID_TYPE', `Record type ${type} does not match ${object.name}`);
      }
      return { kind: 'upsert', object: object.name, externalIdField: params.field!, values: record };
    });
    return { status: 200, body: results(runMixed(org, built, allOrNone, request), true) };
  });

  const retrieve = (request: ApiRequest, objectName: string, ids: string[], fieldNames: string[] | undefined) => {
    const object = requireObject(org, objectName);
    if (!fieldNames?.length) throw new SalesforceError(400, 'MISSING_ARGUMENT', 'fields must be specified');
    checkSize(ids.length);
    const fields = selectedFieldsOf(org, object, fieldNames);
    return {
      status: 200,
      body: ids.map((value) => {
        const id = normalizeId(value);
        const row = id && id.startsWith(object.keyPrefix) ? org.store.writer.get(object, id) : undefined;
        return row ? apiRecord(object, row, { version: request.version, fields }) : null;
      })
    };
  };

  router.add('GET', '/composite/sobjects/:object', (request, params) =>
    retrieve(
      request,
      params.object!,
      (request.query.ids ?? '').split(',').filter(Boolean),
      request.query.fields?.split(',').filter(Boolean)
    )
  );

  router.add('POST', '/composite/sobjects/:object', (request, params) => {
    const body = (request.body ?? {}) as { ids?: unknown; fields?: unknown };
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    const fields = Array.isArray(body.fields) ? body.fields.map(String) : undefined;
    return retrieve(request, params.object!, ids, fields);
  });
}
