import type { ObjectDef } from '@handoff/schema';
import { RecordError, SalesforceError } from '../../errors';
import type { Router } from '../router';
import type { OrgRuntime } from '../runtime';
import { requireObject } from './records';

const MAX_RECORDS = 200;
const MAX_DEPTH = 5;
const ROLLBACK = Symbol('rollback');

type TreeRecord = Record<string, unknown> & { attributes?: { type?: string; referenceId?: string } };

interface TreeResult {
  referenceId: string;
  id?: string;
  errors?: ReturnType<RecordError['toJSON']>[];
}

/**
 * `POST /composite/tree/X` (what `sf data import tree` uses): up to 200 records with nested child records, saved
 * parents first, all or nothing.
 */
export function treeRoutes(router: Router, org: OrgRuntime): void {
  router.add('POST', '/composite/tree/:object', (request, params) => {
    const object = requireObject(org, params.object!);
    const body = request.body as { records?: unknown } | undefined;
    if (!body || !Array.isArray(body.records)) {
      throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be an object with a records array');
    }
    const results: TreeResult[] = [];
    let count = 0;
    const save = (objectDef: ObjectDef, record: TreeRecord, depth: number, parent?: { field: string; id: string }) => {
      if (++count > MAX_RECORDS)
        throw new SalesforceError(400, 'INVALID_INPUT', `Exceeded max limit of ${MAX_RECORDS} records`);
      if (depth > MAX_DEPTH)
        throw new SalesforceError(400, 'INVALID_INPUT', `Exceeded max depth of ${MAX_DEPTH} levels`);
      const referenceId = String(record.attributes?.referenceId ?? '');
      if (!referenceId)
        throw new SalesforceError(400, 'INVALID_INPUT', 'Include a reference ID for each record in the request');
      const values: Record<string, unknown> = {};
      const children: [string, TreeRecord[]][] = [];
      for (const [key, value] of Object.entries(record)) {
        if (key === 'attributes') continue;
        const relationship = org.schema.childRelationship(objectDef.name, key);
        const nested = (value as { records?: unknown } | null)?.records;
        if (relationship && Array.isArray(nested)) children.push([key, nested as TreeRecord[]]);
        else values[key] = value;
      }
      if (parent) values[parent.field] = parent.id;
      const [result] = org.store.write([{ kind: 'insert', object: objectDef.name, values }]);
      if (!result!.success) {
        results.push({ referenceId, errors: result!.errors.map((error) => error.toJSON()) });
        return;
      }
      results.push({ referenceId, id: result!.id });
      for (const [relationshipName, records] of children) {
        const relationship = org.schema.childRelationship(objectDef.name, relationshipName)!;
        const childObject = org.schema.object(relationship.childObject)!;
        for (const child of records)
          save(childObject, child, depth + 1, { field: relationship.field, id: result!.id! });
      }
    };
    let failed = false;
    try {
      org.store.db.transaction(() => {
        for (const record of body.records as TreeRecord[]) save(object, record, 1);
        failed = results.some((result) => result.errors);
        if (failed) throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    if (failed) {
      return { status: 400, body: { hasErrors: true, results: results.filter((result) => result.errors) } };
    }
    return { status: 201, body: { hasErrors: false, results } };
  });
}
