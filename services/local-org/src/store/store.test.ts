import { RecordError } from '../errors';
import { startTestOrg, type TestOrg } from '../testing/test-org';
import type { Store, WriteResult } from './store';

// Starts a local org on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const errorOf = (result: WriteResult) => ({ code: result.errors[0]?.statusCode, message: result.errors[0]?.message });

describe('store: writes validated by schema', () => {
  let test: TestOrg;
  let store: Store;
  const insert = (object: string, values: Record<string, unknown>) =>
    store.write([{ kind: 'insert', object, values }])[0]!;

  beforeAll(async () => {
    test = await startTestOrg();
    store = test.org.store;
  });
  afterAll(() => test.close());
  beforeEach(() => test.org.reset());

  it('creates records with 18-character ids, system fields, owner and defaults', () => {
    const result = insert('Project__c', { Name: 'Apollo', Project_Key__c: 'P-1' });
    expect(result).toMatchObject({ success: true, errors: [] });
    expect(result.id).toMatch(/^[a-zA-Z0-9]{18}$/);
    expect(result.id!.slice(0, 3)).toBe(store.schema.object('Project__c')!.keyPrefix);
    const record = store.get('Project__c', result.id!)!;
    expect(record).toMatchObject({
      Name: 'Apollo',
      Stage__c: 'Planned',
      Billable__c: false,
      OwnerId: test.org.userId,
      CreatedById: test.org.userId,
      IsDeleted: false,
      Margin__c: 30 // the formula 0.3 as a Percent field reads it: 30%
    });
    expect(record.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(record.SystemModstamp).toBe(record.CreatedDate);
  });

  it.each([
    [
      'unknown field',
      { Name: 'x', Nope__c: 1 },
      'INVALID_FIELD',
      "No such column 'Nope__c' on sobject of type Project__c"
    ],
    [
      'required field set to null',
      { Name: 'x', Stage__c: null },
      'REQUIRED_FIELD_MISSING',
      'Required fields are missing: [Stage__c]'
    ],
    [
      'restricted picklist',
      { Name: 'x', Stage__c: 'Lost' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Stage: bad value for restricted picklist field: Lost'
    ],
    [
      'restricted multi-select value',
      { Name: 'x', Tags__c: 'Red;Pink' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Tags: bad value for restricted picklist field: Pink'
    ],
    [
      'text too long',
      { Name: 'x', Project_Key__c: 'K'.repeat(21) },
      'STRING_TOO_LONG',
      `Project Key: data value too large: ${'K'.repeat(21)} (max length=20)`
    ],
    [
      'calculated field',
      { Name: 'x', Margin__c: 5 },
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'Unable to create/update fields: Margin__c.'
    ],
    [
      'number out of range',
      { Name: 'x', Budget__c: 1_000_000 },
      'NUMBER_OUTSIDE_VALID_RANGE',
      'Budget: value outside of valid range on numeric field: 1000000'
    ],
    [
      'bad number',
      { Name: 'x', Hours__c: 'many' },
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      'Hours: value not of required type: many'
    ],
    [
      'bad date',
      { Name: 'x', Start__c: '2024-02-30' },
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      'Start: value not of required type: 2024-02-30'
    ],
    [
      'bad email',
      { Name: 'x', Contact_Email__c: 'nobody' },
      'INVALID_EMAIL_ADDRESS',
      'Contact Email: invalid email address: nobody'
    ],
    [
      'malformed lookup id',
      { Name: 'x', Account__c: 'abc' },
      'MALFORMED_ID',
      'Account: id value of incorrect type: abc'
    ],
    [
      'lookup id of another object',
      { Name: 'x', Account__c: '003LO0000000001' },
      'FIELD_INTEGRITY_EXCEPTION',
      'Account: id value of incorrect type'
    ],
    [
      'lookup to a missing record',
      { Name: 'x', Account__c: '001LO0000000zzz' },
      'INVALID_CROSS_REFERENCE_KEY',
      'invalid cross reference id'
    ],
    [
      'Id on insert',
      { Id: '001LO0000000001', Name: 'x' },
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'Record ID: cannot specify Id in an insert call'
    ]
  ])('rejects %s', (_case, values, code, message) => {
    const result = insert('Project__c', values);
    expect(result.success).toBe(false);
    expect(errorOf(result).code).toBe(code);
    expect(errorOf(result).message).toContain(message);
  });

  it('rejects duplicate unique values case-insensitively unless the field is case-sensitive', () => {
    const first = insert('Project__c', { Name: 'a', Project_Key__c: 'ABC', Code__c: 'c1' });
    const dupe = insert('Project__c', { Name: 'b', Project_Key__c: 'abc' });
    expect(errorOf(dupe)).toEqual({
      code: 'DUPLICATE_VALUE',
      message: `duplicate value found: Project_Key__c duplicates value on record with id: ${first.id}`
    });
    expect(insert('Project__c', { Name: 'c', Code__c: 'C1' }).success).toBe(true);
    expect(errorOf(insert('Project__c', { Name: 'd', Code__c: 'c1' })).code).toBe('DUPLICATE_VALUE');
  });

  it('fills a blank custom Name with the Id and numbers auto-number names with their display format', () => {
    const project = insert('Project__c', { Project_Key__c: 'N1' });
    expect(store.get('Project__c', project.id!)!.Name).toBe(project.id);
    const tasks = store.seed('Task__c', [{ Project__c: project.id }, { Project__c: project.id }]);
    expect(tasks.map((id) => store.get('Task__c', id)!.Name)).toEqual(['T-0001', 'T-0002']);
  });

  it('stores multi-select values in definition order and rounds numbers to their scale', () => {
    const { id } = insert('Project__c', { Name: 'x', Tags__c: 'Blue;Red', Budget__c: '12.345', Hours__c: 7.6 });
    expect(store.get('Project__c', id!)).toMatchObject({ Tags__c: 'Red;Blue', Budget__c: 12.35, Hours__c: 8 });
  });

  it('derives standard fields: contact names and opportunity stage defaults', () => {
    const [account] = store.seed('Account', [{ Name: 'Acme' }]);
    const [contact] = store.seed('Contact', [{ FirstName: 'Ada', LastName: 'Lovelace', AccountId: account }]);
    expect(store.get('Contact', contact!)!.Name).toBe('Ada Lovelace');
    const [opportunity] = store.seed('Opportunity', [
      { Name: 'Deal', StageName: 'Negotiation/Review', CloseDate: '2025-05-20', Amount: 1000, AccountId: account }
    ]);
    expect(store.get('Opportunity', opportunity!)).toMatchObject({
      Probability: 90,
      ForecastCategoryName: 'Pipeline',
      IsClosed: false,
      IsWon: false,
      ExpectedRevenue: 900,
      FiscalYear: 2025,
      FiscalQuarter: 2
    });
    store.write([{ kind: 'update', object: 'Opportunity', id: opportunity!, values: { StageName: 'Closed Won' } }]);
    expect(store.get('Opportunity', opportunity!)).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100 });
  });

  it('rolls line items up into the opportunity amount', () => {
    const [product] = store.seed('Product2', [{ Name: 'Advisory' }]);
    const [book] = store.seed('Pricebook2', [{ Name: 'Standard' }]);
    const [entry] = store.seed('PricebookEntry', [{ Pricebook2Id: book, Product2Id: product, UnitPrice: 100 }]);
    const [opportunity] = store.seed('Opportunity', [
      { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2025-01-01' }
    ]);
    store.seed('OpportunityLineItem', [
      { OpportunityId: opportunity, PricebookEntryId: entry, Quantity: 3, UnitPrice: 100 },
      { OpportunityId: opportunity, PricebookEntryId: entry, Quantity: 1, UnitPrice: 50 }
    ]);
    expect(store.get('Opportunity', opportunity!)).toMatchObject({
      Amount: 350,
      HasOpportunityLineItem: true,
      ExpectedRevenue: 35
    });
  });

  it('updates only what changed and keeps CreatedDate', () => {
    const { id } = insert('Project__c', { Name: 'x', Budget__c: 10 });
    const before = store.get('Project__c', id!)!;
    const [result] = store.write([
      { kind: 'update', object: 'Project__c', id: id!, values: { Budget__c: 20, Stage__c: 'Active' } }
    ]);
    expect(result).toMatchObject({ id, success: true });
    expect(store.get('Project__c', id!)).toMatchObject({
      Budget__c: 20,
      Stage__c: 'Active',
      Name: 'x',
      CreatedDate: before.CreatedDate
    });
    const [missing] = store.write([{ kind: 'update', object: 'Project__c', id: id!, values: { Stage__c: null } }]);
    expect(errorOf(missing!).code).toBe('REQUIRED_FIELD_MISSING');
  });

  it('accepts 15-character ids and normalizes them', () => {
    const { id } = insert('Project__c', { Name: 'x' });
    const [result] = store.write([
      { kind: 'update', object: 'Project__c', id: id!.slice(0, 15), values: { Name: 'y' } }
    ]);
    expect(result).toMatchObject({ id, success: true });
  });

  it('upserts on an external id: insert, then update, and fails on more than one match', () => {
    const upsert = (values: Record<string, unknown>) =>
      store.write([{ kind: 'upsert', object: 'Project__c', externalIdField: 'Project_Key__c', values }])[0]!;
    const created = upsert({ Project_Key__c: 'U-1', Name: 'first' });
    expect(created).toMatchObject({ success: true, created: true });
    const updated = upsert({ Project_Key__c: 'u-1', Name: 'second' });
    expect(updated).toMatchObject({ success: true, created: false, id: created.id });
    expect(store.get('Project__c', created.id!)!.Name).toBe('second');
    expect(errorOf(upsert({ Name: 'no key' })).code).toBe('MISSING_ARGUMENT');
    const notExternal = store.write([
      { kind: 'upsert', object: 'Project__c', externalIdField: 'Name', values: { Name: 'x' } }
    ])[0]!;
    expect(errorOf(notExternal).code).toBe('INVALID_FIELD');
  });

  it('resolves lookups given as a parent external id', () => {
    const [account] = store.seed('Account', [{ Name: 'Acme', External_Key__c: 'ACME' }]);
    const result = insert('Project__c', { Name: 'x', Account__r: { External_Key__c: 'acme' } });
    expect(store.get('Project__c', result.id!)!.Account__c).toBe(account);
    expect(errorOf(insert('Project__c', { Name: 'y', Account__r: { External_Key__c: 'NOPE' } })).message).toBe(
      'Foreign key external ID: NOPE not found for field External_Key__c in entity Account'
    );
  });

  it('applies delete rules: Restrict blocks, SetNull clears, master-detail cascades', () => {
    const [account] = store.seed('Account', [{ Name: 'Acme' }]);
    const [project] = store.seed('Project__c', [{ Name: 'P', Account__c: account }]);
    const [task] = store.seed('Task__c', [{ Project__c: project }]);
    const [note] = store.seed('Note__c', [{ Name: 'n', Project__c: project }]);
    const [blocked] = store.write([{ kind: 'delete', id: account! }]);
    expect(errorOf(blocked!).code).toBe('DELETE_FAILED');
    const [deleted] = store.write([{ kind: 'delete', object: 'Project__c', id: project! }]);
    expect(deleted).toMatchObject({ success: true, id: project });
    expect(store.get('Project__c', project!)).toBeUndefined();
    expect(store.row('Project__c', project!)!.isdeleted).toBe(1);
    expect(store.get('Task__c', task!)).toBeUndefined();
    expect(store.get('Note__c', note!)!.Project__c).toBeNull();
    const [again] = store.write([{ kind: 'delete', id: project! }]);
    expect(errorOf(again!).code).toBe('ENTITY_IS_DELETED');
  });

  it('keeps allOrNone batches atomic and reports rolled-back records', () => {
    const results = store.write(
      [
        { kind: 'insert', object: 'Project__c', values: { Name: 'ok' } },
        { kind: 'insert', object: 'Project__c', values: { Name: 'bad', Stage__c: 'Nope' } }
      ],
      { allOrNone: true }
    );
    expect(results.map((result) => result.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
    ]);
    expect(store.query('SELECT COUNT() FROM Project__c')).toEqual([]);
    expect(store.queries.query('SELECT COUNT() FROM Project__c').totalSize).toBe(0);
  });

  it('refuses writes to read-only objects and serves custom metadata records', () => {
    expect(errorOf(insert('Rule__mdt', { DeveloperName: 'X', MasterLabel: 'X' })).code).toBe(
      'INVALID_TYPE_FOR_OPERATION'
    );
    expect(store.query('SELECT DeveloperName, Stage__c, Active__c FROM Rule__mdt')).toMatchObject([
      { DeveloperName: 'Default', Stage__c: 'Proposal/Price Quote', Active__c: true }
    ]);
  });

  it('publishes platform events to the event log instead of storing them', () => {
    const result = insert('Deal_Event__e', { Amount__c: 12.5 });
    expect(result.success).toBe(true);
    expect(store.publishedEvents('Deal_Event__e')).toEqual([
      { id: result.id, payload: { Amount__c: 12.5 }, publishedAt: expect.any(String) }
    ]);
  });
});

describe('store: hooks for an automation engine', () => {
  let test: TestOrg;
  let store: Store;

  beforeAll(async () => {
    test = await startTestOrg();
    store = test.org.store;
  });
  afterAll(() => test.close());
  beforeEach(() => test.org.reset());

  it('calls beforeCommit once per batch inside the transaction and afterWrite after commit', () => {
    const calls: string[] = [];
    const unregister = store.hooks.register('Project__c', {
      beforeCommit(event, hookStore) {
        calls.push(`before ${event.operation} ${event.records.length}`);
        // Writes from a hook join the same transaction.
        hookStore.write(
          event.records.map((record) => ({
            kind: 'insert' as const,
            object: 'Note__c',
            values: { Name: `note for ${String(record.new!.Name)}`, Project__c: record.id }
          }))
        );
      },
      afterWrite(event) {
        calls.push(`after ${event.operation} ${event.records.map((record) => record.new?.Name).join(',')}`);
      }
    });
    store.seed('Project__c', [{ Name: 'A' }, { Name: 'B' }]);
    unregister();
    expect(calls).toEqual(['before insert 2', 'after insert A,B']);
    expect(store.query('SELECT Name FROM Note__c ORDER BY Name').map((note) => note.Name)).toEqual([
      'note for A',
      'note for B'
    ]);
  });

  it('fails records with addError and retries the rest of the batch (partial save)', () => {
    let attempts = 0;
    const unregister = store.hooks.register('Project__c', {
      beforeCommit(event) {
        attempts++;
        for (const record of event.records) {
          if (record.new!.Name === 'bad')
            event.addError(record.id, new RecordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'no bad names'));
        }
      }
    });
    const results = store.write([
      { kind: 'insert', object: 'Project__c', values: { Name: 'good' } },
      { kind: 'insert', object: 'Project__c', values: { Name: 'bad' } }
    ]);
    unregister();
    expect(attempts).toBe(2);
    expect(results[0]).toMatchObject({ success: true });
    expect(results[1]!.errors[0]!.toJSON()).toEqual({
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'no bad names',
      fields: []
    });
    expect(store.query('SELECT Name FROM Project__c').map((project) => project.Name)).toEqual(['good']);
  });

  it('passes old and new values on update and delete', () => {
    const [id] = store.seed('Project__c', [{ Name: 'before' }]);
    const seen: unknown[] = [];
    const unregister = store.hooks.register('*', {
      afterWrite(event) {
        seen.push(...event.records.map((record) => [event.operation, record.old?.Name, record.new?.Name]));
      }
    });
    store.write([{ kind: 'update', object: 'Project__c', id: id!, values: { Name: 'after' } }]);
    store.write([{ kind: 'delete', id: id! }]);
    unregister();
    expect(seen).toEqual([
      ['update', 'before', 'after'],
      ['delete', 'after', undefined]
    ]);
  });
});
