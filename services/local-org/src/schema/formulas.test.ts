import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFixtureProject } from '../testing/fixture-project';
import { rejection, startTestOrg, type TestOrg } from '../testing/test-org';

// Starts a local org on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const rule = (name: string, formula: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ValidationRule ${NS}><fullName>${name}</fullName><active>true</active><errorConditionFormula>${formula}</errorConditionFormula><errorMessage>${name} failed.</errorMessage></ValidationRule>\n`;

describe('local org: validation rules, formula fields and roll-up summaries (fixture project)', () => {
  let test: TestOrg;
  let clock = Date.parse('2026-03-02T09:00:00Z');

  beforeAll(async () => {
    test = await startTestOrg({ now: () => new Date(clock) });
  });
  afterAll(() => test.close());
  beforeEach(() => test.org.reset());

  const project = (values: Record<string, unknown>) =>
    test.org.store.write([{ kind: 'insert', object: 'Project__c', values: { Name: 'P', ...values } }])[0]!;

  it('rejects a record an active rule fails, with its message and error display field, on every write path', async () => {
    // single-record REST
    const single = await test.api('/sobjects/Project__c', {
      method: 'POST',
      body: JSON.stringify({ Name: 'Minus', Budget__c: -1 })
    });
    expect(single.status).toBe(400);
    expect(await single.json()).toEqual([
      { message: 'Budget cannot be negative.', errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Budget__c'] }
    ]);
    // collections, partial save: only the failing record fails
    const collection = await test
      .connection()
      .sobject('Project__c')
      .create(
        [
          { Name: 'Fine', Budget__c: 5 },
          { Name: 'Minus', Budget__c: -5 }
        ],
        { allOrNone: false }
      );
    expect(collection.map((result) => result.success)).toEqual([true, false]);
    expect(collection[1]).toMatchObject({
      errors: [
        {
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'Budget cannot be negative.',
          fields: ['Budget__c']
        }
      ]
    });
    // upsert on an external id
    const upsert = await test.api('/sobjects/Project__c/Project_Key__c/K-1', {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Up', Budget__c: -2 })
    });
    expect(upsert.status).toBe(400);
    // composite: the failing subrequest answers the rule error; tree: the whole tree is refused
    const composite = await test.api('/composite', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: false,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v66.0/sobjects/Project__c',
            referenceId: 'minus',
            body: { Name: 'Composite minus', Budget__c: -4 }
          }
        ]
      })
    });
    expect(((await composite.json()) as { compositeResponse: unknown[] }).compositeResponse).toEqual([
      expect.objectContaining({
        httpStatusCode: 400,
        body: [
          {
            message: 'Budget cannot be negative.',
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            fields: ['Budget__c']
          }
        ]
      })
    ]);
    const tree = await test.api('/composite/tree/Project__c', {
      method: 'POST',
      body: JSON.stringify({
        records: [{ attributes: { type: 'Project__c', referenceId: 'p1' }, Name: 'Tree minus', Budget__c: -6 }]
      })
    });
    expect(tree.status).toBe(400);
    expect(await tree.json()).toMatchObject({
      hasErrors: true,
      results: [
        { referenceId: 'p1', errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Budget__c'] }] }
      ]
    });
    // Bulk API 2.0
    const bulk = await test.connection().bulk2.loadAndWaitForResults({
      object: 'Project__c',
      operation: 'insert',
      input: 'Name,Budget__c\nBulk ok,1\nBulk minus,-1\n',
      pollInterval: 20,
      pollTimeout: 10_000
    });
    expect(bulk.successfulResults).toHaveLength(1);
    expect(bulk.failedResults.map((row) => row.sf__Error)).toEqual([
      'FIELD_CUSTOM_VALIDATION_EXCEPTION:Budget cannot be negative.:Budget__c --'
    ]);
    // store.seed, which stands for a data load
    expect(() => test.org.store.seed('Project__c', [{ Name: 'Seeded', Budget__c: -3 }])).toThrow(
      'seeding Project__c: Budget cannot be negative.'
    );
    expect(test.org.store.query("SELECT Name FROM Project__c WHERE Name LIKE '%inus%' OR Name = 'Seeded'")).toEqual([]);
  });

  it('gives ISNEW, ISCHANGED and PRIORVALUE the save, and $Permission the permissions the org was started with', async () => {
    const id = project({ Stage__c: 'Active', Start__c: '2026-03-01' }).id!;
    const move = test.org.store.write([
      { kind: 'update', object: 'Project__c', id, values: { Start__c: '2026-04-01' } }
    ]);
    expect(move[0]!.errors.map((error) => error.message)).toEqual(['The start of an active project cannot move.']);
    // ISCHANGED is false when the value stays; PRIORVALUE reads the stage before this save.
    const other = test.org.store.write([
      { kind: 'update', object: 'Project__c', id, values: { Start__c: '2026-03-01', Stage__c: 'Done' } }
    ]);
    expect(other[0]!.success).toBe(true);
    const planned = project({ Stage__c: 'Planned', Start__c: '2026-03-01' }).id!;
    const early = test.org.store.write([
      { kind: 'update', object: 'Project__c', id: planned, values: { Stage__c: 'Active', Start__c: '2026-05-01' } }
    ]);
    expect(early[0]!.success).toBe(true);

    const admin = await startTestOrg({ customPermissions: ['Project_Admin'] });
    try {
      const [activeId] = admin.org.store.seed('Project__c', [
        { Name: 'A', Stage__c: 'Active', Start__c: '2026-03-01' }
      ]);
      const result = admin.org.store.write([
        { kind: 'update', object: 'Project__c', id: activeId!, values: { Start__c: '2026-06-01' } }
      ]);
      expect(result[0]!.success).toBe(true);
    } finally {
      await admin.close();
    }
  });

  it('keeps roll-up summaries and the formulas over them current, for REST, SOQL WHERE and ORDER BY', async () => {
    const [small, large] = test.org.store.seed('Project__c', [
      { Name: 'Small', Budget__c: 1000 },
      { Name: 'Large', Budget__c: 9000 }
    ]);
    expect(test.org.store.get('Project__c', small!)).toMatchObject({
      Task_Hours__c: 0,
      Open_Tasks__c: 0,
      Cost_Per_Hour__c: null,
      Margin__c: 30
    });
    const tasks = test.org.store.seed('Task__c', [
      { Project__c: small, Hours__c: 10 },
      { Project__c: small, Hours__c: 30, Done__c: true },
      { Project__c: large, Hours__c: 7.5 }
    ]);
    const response = await test.api(
      `/sobjects/Project__c/${small}?fields=Task_Hours__c,Open_Tasks__c,Cost_Per_Hour__c`
    );
    expect(await response.json()).toMatchObject({ Task_Hours__c: 40, Open_Tasks__c: 1, Cost_Per_Hour__c: 25 });
    const byCost = await test
      .connection()
      .query(
        'SELECT Name, Cost_Per_Hour__c FROM Project__c WHERE Cost_Per_Hour__c > 20 ORDER BY Cost_Per_Hour__c DESC'
      );
    expect(byCost.records.map((record) => [record.Name, record.Cost_Per_Hour__c])).toEqual([
      ['Large', 1200],
      ['Small', 25]
    ]);
    // Moving, completing and deleting children moves the parents' roll-ups.
    test.org.store.write([
      { kind: 'update', object: 'Task__c', id: tasks[0]!, values: { Done__c: true } },
      { kind: 'delete', object: 'Task__c', id: tasks[1]! }
    ]);
    expect(
      test.org.store.query(
        `SELECT Task_Hours__c, Open_Tasks__c, Cost_Per_Hour__c FROM Project__c WHERE Id = '${small}'`
      )
    ).toEqual([expect.objectContaining({ Task_Hours__c: 10, Open_Tasks__c: 0, Cost_Per_Hour__c: 100 })]);
    test.org.store.write([{ kind: 'undelete', object: 'Task__c', id: tasks[1]! }]);
    expect(test.org.store.get('Project__c', small!)).toMatchObject({ Task_Hours__c: 40, Open_Tasks__c: 0 });
  });

  it('describes formula and roll-up fields as calculated and refuses writes to them as read-only fields', async () => {
    const describe = await test.connection().sobject('Project__c').describe();
    for (const name of ['Margin__c', 'Task_Hours__c', 'Cost_Per_Hour__c']) {
      expect(describe.fields.find((field) => field.name === name)).toMatchObject({
        calculated: true,
        createable: false,
        updateable: false
      });
    }
    const error = await rejection(test.connection().sobject('Project__c').create({ Name: 'x', Task_Hours__c: 5 }));
    expect(error).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: expect.stringContaining('Unable to create/update fields: Task_Hours__c.') as unknown
    });
  });

  it('lists a formula it cannot evaluate in problems at start, and never treats it as passing', async () => {
    const projectRoot = writeFixtureProject({
      'force-app/main/default/objects/Project__c/validationRules/Project_Name_Pattern.validationRule-meta.xml': rule(
        'Project_Name_Pattern',
        'REGEX(Name, "[0-9]+")'
      ),
      'force-app/main/default/objects/Project__c/fields/Age__c.field-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField ${NS}><fullName>Age__c</fullName><label>Age</label><formula>TODAY() - Start__c</formula><precision>18</precision><scale>0</scale><type>Number</type></CustomField>\n`
    });
    const other = await startTestOrg({ projectRoot });
    try {
      expect(other.org.problems).toEqual([
        'validation rule Project__c.Project_Name_Pattern is not evaluated: REGEX() is not evaluated by the local org',
        expect.stringMatching(/^formula field Project__c\.Age__c: reads NOW\(\), TODAY\(\), \$User or \$Permission/)
      ]);
      expect(other.org.store.get('Project__c', other.org.store.seed('Project__c', [{ Name: '1' }])[0]!)).toMatchObject({
        Age__c: null
      });
    } finally {
      await other.close();
      fs.rmSync(projectRoot, { recursive: true, force: true });
    }
  });

  it('calculates a formula or roll-up field added while the org holds records, on schema reload', () => {
    const [projectId] = test.org.store.seed('Project__c', [{ Name: 'Old', Budget__c: 500 }]);
    test.org.store.seed('Task__c', [
      { Project__c: projectId, Hours__c: 2 },
      { Project__c: projectId, Hours__c: 6 }
    ]);
    const fields = path.join(test.projectRoot, 'force-app/main/default/objects/Project__c/fields');
    const added = {
      'Max_Task_Hours__c.field-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField ${NS}><fullName>Max_Task_Hours__c</fullName><label>Max</label><summaryForeignKey>Task__c.Project__c</summaryForeignKey><summaryOperation>max</summaryOperation><summarizedField>Task__c.Hours__c</summarizedField><type>Summary</type></CustomField>\n`,
      'Budget_Label__c.field-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField ${NS}><fullName>Budget_Label__c</fullName><label>Budget label</label><formula>Name &amp; ": " &amp; TEXT(Budget__c)</formula><length>80</length><type>Text</type></CustomField>\n`
    };
    try {
      for (const [file, text] of Object.entries(added)) fs.writeFileSync(path.join(fields, file), text);
      test.org.reloadSchema();
      expect(test.org.store.query('SELECT Max_Task_Hours__c, Budget_Label__c FROM Project__c')).toEqual([
        expect.objectContaining({ Max_Task_Hours__c: 6, Budget_Label__c: 'Old: 500' })
      ]);
    } finally {
      for (const file of Object.keys(added)) fs.rmSync(path.join(fields, file));
      test.org.reloadSchema();
    }
  });

  it('reads NOW() and TODAY() from the org clock in validation rules', async () => {
    const projectRoot = writeFixtureProject({
      'force-app/main/default/objects/Project__c/validationRules/Project_Start_Not_Past.validationRule-meta.xml': rule(
        'Project_Start_Not_Past',
        'AND(ISNEW(), Start__c &lt; TODAY(), Kickoff__c &lt; NOW() - 1)'
      )
    });
    const other = await startTestOrg({ projectRoot, now: () => new Date(clock) });
    try {
      const insert = (values: Record<string, unknown>) =>
        other.org.store.write([{ kind: 'insert', object: 'Project__c', values: { Name: 'P', ...values } }])[0]!;
      expect(insert({ Start__c: '2026-03-01', Kickoff__c: '2026-02-28T08:00:00Z' }).success).toBe(false);
      expect(insert({ Start__c: '2026-03-02', Kickoff__c: '2026-02-28T08:00:00Z' }).success).toBe(true);
      expect(insert({ Start__c: '2026-03-01', Kickoff__c: '2026-03-01T10:00:00Z' }).success).toBe(true);
      clock += 86_400_000;
      expect(insert({ Start__c: '2026-03-02', Kickoff__c: '2026-02-28T08:00:00Z' }).success).toBe(false);
    } finally {
      clock -= 86_400_000;
      await other.close();
      fs.rmSync(projectRoot, { recursive: true, force: true });
    }
  });
});
