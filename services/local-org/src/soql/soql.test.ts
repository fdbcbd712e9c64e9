import { SalesforceError } from '../errors';
import type { Store } from '../store/store';
import { startTestOrg, type TestOrg } from '../testing/test-org';

// Starts a local org on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const NOW = new Date('2025-03-12T15:30:00.000Z'); // a Wednesday

describe('SOQL', () => {
  let test: TestOrg;
  let store: Store;
  let ids: Record<string, string>;
  const names = (soql: string) => store.query(soql).map((record) => record.Name);
  const failure = (soql: string): SalesforceError => {
    try {
      store.query(soql);
    } catch (error) {
      if (error instanceof SalesforceError) return error;
      throw error;
    }
    throw new Error(`query did not fail: ${soql}`);
  };

  beforeAll(async () => {
    test = await startTestOrg({ now: () => NOW });
    store = test.org.store;
    const [acme, globex] = store.seed('Account', [
      { Name: 'Acme', Industry: 'Banking', External_Key__c: 'A' },
      { Name: 'Globex', Industry: 'Retail' }
    ]);
    const projects = store.seed('Project__c', [
      {
        Name: 'Alpha',
        Stage__c: 'Done',
        Budget__c: 100,
        Hours__c: 10,
        Start__c: '2025-03-12',
        Tags__c: 'Red;Blue',
        Account__c: acme,
        Kickoff__c: '2025-03-12T09:00:00Z'
      },
      {
        Name: 'beta',
        Stage__c: 'Active',
        Budget__c: 250.5,
        Hours__c: 20,
        Start__c: '2025-03-11',
        Tags__c: 'Green',
        Account__c: acme
      },
      {
        Name: 'Gamma',
        Stage__c: 'Planned',
        Budget__c: null,
        Hours__c: 5,
        Start__c: '2025-04-02',
        Account__c: globex,
        Kickoff__c: '2025-02-01T12:00:00Z'
      },
      { Name: 'Delta_1', Stage__c: 'Active', Budget__c: 80, Hours__c: null, Start__c: null, Tags__c: 'Red' }
    ]);
    ids = {
      acme: acme!,
      globex: globex!,
      alpha: projects[0]!,
      beta: projects[1]!,
      gamma: projects[2]!,
      delta: projects[3]!
    };
    store.seed('Task__c', [
      { Project__c: ids.alpha, Hours__c: 1.5, Done__c: true },
      { Project__c: ids.alpha, Hours__c: 2 },
      { Project__c: ids.beta, Hours__c: 4 }
    ]);
  });
  afterAll(() => test.close());

  it('returns records with attributes and canonical field names', () => {
    const [record] = store.query(`SELECT id, name, stage__c FROM project__c WHERE Id = '${ids.alpha!.slice(0, 15)}'`);
    expect(record).toEqual({
      attributes: { type: 'Project__c', url: `/services/data/v66.0/sobjects/Project__c/${ids.alpha}` },
      Id: ids.alpha,
      Name: 'Alpha',
      Stage__c: 'Done'
    });
  });

  it.each([
    ["Name = 'ALPHA'", ['Alpha']],
    ["Name != 'Alpha'", ['beta', 'Gamma', 'Delta_1']],
    ["Name != 'ALPHA'", ['beta', 'Gamma', 'Delta_1']],
    ["Account__r.Name != 'Acme'", ['Gamma', 'Delta_1']],
    ['Budget__c > 90', ['Alpha', 'beta']],
    ['Budget__c >= 100 AND Hours__c < 20', ['Alpha']],
    ['Budget__c <= 80', ['Delta_1']],
    ['Budget__c = null', ['Gamma']],
    ['Budget__c != null', ['Alpha', 'beta', 'Delta_1']],
    ["Stage__c IN ('active', 'Done')", ['Alpha', 'beta', 'Delta_1']],
    ["Stage__c NOT IN ('Active')", ['Alpha', 'Gamma']],
    ['Hours__c NOT IN (10, 20)', ['Gamma', 'Delta_1']],
    ["Name LIKE 'a%'", ['Alpha']],
    ["Name LIKE '%a'", ['Alpha', 'beta', 'Gamma']],
    ["Name LIKE 'Delta\\_%'", ['Delta_1']],
    ["Name LIKE '_eta'", ['beta']],
    ["Tags__c INCLUDES ('Red')", ['Alpha', 'Delta_1']],
    ["Tags__c INCLUDES ('Blue;Red', 'Green')", ['Alpha', 'beta']],
    ["Tags__c EXCLUDES ('Red')", ['beta', 'Gamma']],
    ["Tags__c = 'Blue;Red'", ['Alpha']],
    ["NOT Name = 'Alpha'", ['beta', 'Gamma', 'Delta_1']],
    ['NOT (Budget__c > 90)', ['Gamma', 'Delta_1']],
    ["(Stage__c = 'Active' OR Stage__c = 'Done') AND Budget__c > 100", ['beta']],
    ["Stage__c = 'Active' AND (Budget__c > 100 OR Hours__c = null)", ['beta', 'Delta_1']],
    ["Account__r.Name = 'acme'", ['Alpha', 'beta']],
    ["Account__r.Industry = 'Retail'", ['Gamma']],
    ['Account__c = null', ['Delta_1']],
    ['Start__c = TODAY', ['Alpha']],
    ['Start__c = YESTERDAY', ['beta']],
    ['Start__c = THIS_WEEK', ['Alpha', 'beta']],
    ['Start__c = LAST_N_DAYS:1', ['Alpha', 'beta']],
    ['Start__c = NEXT_N_DAYS:30', ['Gamma']],
    ['Start__c > TODAY', ['Gamma']],
    ['Start__c = THIS_MONTH', ['Alpha', 'beta']],
    ['Start__c = NEXT_MONTH', ['Gamma']],
    ['Start__c = THIS_QUARTER', ['Alpha', 'beta']],
    ['Start__c = THIS_YEAR', ['Alpha', 'beta', 'Gamma']],
    ['Start__c < 2025-03-12', ['beta']],
    ['Kickoff__c = TODAY', ['Alpha']],
    ['Kickoff__c = LAST_MONTH', ['Gamma']],
    ['Kickoff__c < 2025-03-01T00:00:00Z', ['Gamma']],
    ['Kickoff__c > 2025-03-12T10:00:00+02:00', ['Alpha']],
    ['CreatedDate = TODAY', ['Alpha', 'beta', 'Gamma', 'Delta_1']],
    ['Billable__c = false', ['Alpha', 'beta', 'Gamma', 'Delta_1']],
    [`Id IN (SELECT Project__c FROM Task__c WHERE Done__c = true)`, ['Alpha']],
    [`Id NOT IN (SELECT Project__c FROM Task__c)`, ['Gamma', 'Delta_1']],
    [`Account__c IN (SELECT Id FROM Account WHERE Industry = 'Retail')`, ['Gamma']]
  ])('WHERE %s', (where, expected) => {
    expect(names(`SELECT Name FROM Project__c WHERE ${where}`)).toEqual(expected);
  });

  it('orders by several fields, with NULLS FIRST/LAST and picklist definition order', () => {
    expect(names('SELECT Name FROM Project__c ORDER BY Budget__c')).toEqual(['Gamma', 'Delta_1', 'Alpha', 'beta']);
    expect(names('SELECT Name FROM Project__c ORDER BY Budget__c DESC')).toEqual(['beta', 'Alpha', 'Delta_1', 'Gamma']);
    expect(names('SELECT Name FROM Project__c ORDER BY Budget__c ASC NULLS LAST')).toEqual([
      'Delta_1',
      'Alpha',
      'beta',
      'Gamma'
    ]);
    expect(names('SELECT Name FROM Project__c ORDER BY Stage__c, Name DESC')).toEqual([
      'Gamma',
      'Delta_1',
      'beta',
      'Alpha'
    ]);
    expect(names('SELECT Name FROM Project__c ORDER BY Name')).toEqual(['Alpha', 'beta', 'Delta_1', 'Gamma']);
    expect(names('SELECT Name FROM Project__c ORDER BY Account__r.Name DESC NULLS LAST, Name')).toEqual([
      'Gamma',
      'Alpha',
      'beta',
      'Delta_1'
    ]);
  });

  it('applies LIMIT and OFFSET', () => {
    expect(names('SELECT Name FROM Project__c ORDER BY Name LIMIT 2')).toEqual(['Alpha', 'beta']);
    expect(names('SELECT Name FROM Project__c ORDER BY Name LIMIT 2 OFFSET 1')).toEqual(['beta', 'Delta_1']);
    expect(names('SELECT Name FROM Project__c ORDER BY Name OFFSET 3')).toEqual(['Gamma']);
  });

  it('nests parent fields as attributed objects, and null when the lookup is empty', () => {
    const records = store.query('SELECT Name, Account__r.Name, Account__r.Owner.Name FROM Project__c ORDER BY Name');
    expect(records[0]).toEqual({
      attributes: expect.objectContaining({ type: 'Project__c' }),
      Name: 'Alpha',
      Account__r: {
        attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${ids.acme}` },
        Name: 'Acme',
        Owner: { attributes: expect.objectContaining({ type: 'User' }), Name: 'Local Admin' }
      }
    });
    expect(records[2]).toMatchObject({ Name: 'Delta_1', Account__r: null });
  });

  it('returns child subqueries as nested query results, null when there are none', () => {
    const records = store.query(
      'SELECT Name, (SELECT Hours__c, Project__r.Name FROM Tasks__r WHERE Hours__c > 1 ORDER BY Hours__c DESC LIMIT 1) FROM Project__c ORDER BY Name'
    );
    expect(records[0]!.Tasks__r).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: expect.objectContaining({ type: 'Task__c' }),
          Hours__c: 2,
          Project__r: { attributes: expect.objectContaining({ type: 'Project__c' }), Name: 'Alpha' }
        }
      ]
    });
    expect(records[1]!.Tasks__r).toMatchObject({ totalSize: 1 });
    expect(records[2]!.Tasks__r).toBeNull();
    const accounts = store.query(
      "SELECT Name, (SELECT Name FROM Projects__r ORDER BY Name) FROM Account WHERE Name = 'Acme'"
    );
    expect((accounts[0]!.Projects__r as { records: { Name: string }[] }).records.map((record) => record.Name)).toEqual([
      'Alpha',
      'beta'
    ]);
  });

  it('counts with COUNT()', () => {
    expect(store.queries.query("SELECT COUNT() FROM Project__c WHERE Stage__c = 'Active'")).toEqual({
      totalSize: 2,
      done: true,
      records: []
    });
  });

  it('aggregates with GROUP BY, aliases, exprN names and HAVING', () => {
    const rows = store.query(
      'SELECT Stage__c, COUNT(Id), SUM(Budget__c) total, AVG(Hours__c), MIN(Start__c), MAX(Name) FROM Project__c GROUP BY Stage__c HAVING COUNT(Id) > 0 ORDER BY Stage__c'
    );
    expect(rows).toEqual([
      {
        attributes: { type: 'AggregateResult' },
        Stage__c: 'Planned',
        expr0: 1,
        total: null,
        expr1: 5,
        expr2: '2025-04-02',
        expr3: 'Gamma'
      },
      {
        attributes: { type: 'AggregateResult' },
        Stage__c: 'Active',
        expr0: 2,
        total: 330.5,
        expr1: 20,
        expr2: '2025-03-11',
        expr3: 'Delta_1'
      },
      {
        attributes: { type: 'AggregateResult' },
        Stage__c: 'Done',
        expr0: 1,
        total: 100,
        expr1: 10,
        expr2: '2025-03-12',
        expr3: 'Alpha'
      }
    ]);
    expect(store.query('SELECT COUNT(Id) n FROM Project__c')).toEqual([
      { attributes: { type: 'AggregateResult' }, n: 4 }
    ]);
    expect(
      store.query(
        'SELECT Account__r.Name, COUNT_DISTINCT(Stage__c) FROM Project__c GROUP BY Account__r.Name HAVING COUNT(Id) > 1'
      )
    ).toEqual([{ attributes: { type: 'AggregateResult' }, Name: 'Acme', expr0: 2 }]);
    expect(
      store.query(
        'SELECT CALENDAR_MONTH(Start__c) m, COUNT(Id) FROM Project__c WHERE Start__c != null GROUP BY CALENDAR_MONTH(Start__c) ORDER BY CALENDAR_MONTH(Start__c)'
      )
    ).toEqual([
      { attributes: { type: 'AggregateResult' }, m: 3, expr0: 2 },
      { attributes: { type: 'AggregateResult' }, m: 4, expr0: 1 }
    ]);
  });

  it('expands FIELDS(STANDARD) and requires a LIMIT for FIELDS(ALL)', () => {
    const [record] = store.query(`SELECT FIELDS(STANDARD) FROM Project__c WHERE Id = '${ids.alpha}'`);
    expect(Object.keys(record!)).toEqual(expect.arrayContaining(['Id', 'Name', 'OwnerId', 'CreatedDate']));
    expect(Object.keys(record!)).not.toContain('Budget__c');
    expect(failure('SELECT FIELDS(ALL) FROM Project__c').errorCode).toBe('MALFORMED_QUERY');
    expect(store.query('SELECT FIELDS(ALL) FROM Project__c LIMIT 1')[0]).toHaveProperty('Budget__c');
  });

  it('leaves deleted records to queryAll', () => {
    const [id] = store.seed('Project__c', [{ Name: 'Temp' }]);
    store.write([{ kind: 'delete', id: id! }]);
    expect(names("SELECT Name FROM Project__c WHERE Name = 'Temp'")).toEqual([]);
    expect(store.query("SELECT Name, IsDeleted FROM Project__c WHERE Name = 'Temp'", { scanAll: true })).toMatchObject([
      { Name: 'Temp', IsDeleted: true }
    ]);
  });

  it('reports errors the way Salesforce does', () => {
    const unknownField = failure('SELECT Id, Foo__c FROM Project__c');
    expect(unknownField).toMatchObject({ status: 400, errorCode: 'INVALID_FIELD' });
    expect(unknownField.message).toBe(
      "\nSELECT Id, Foo__c FROM Project__c\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo__c' on entity 'Project__c'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
    );
    const unknownType = failure('SELECT Id FROM Nope__c');
    expect(unknownType.errorCode).toBe('INVALID_TYPE');
    expect(unknownType.message).toContain("sObject type 'Nope__c' is not supported.");
    expect(failure('SELECT Id FROM').errorCode).toBe('MALFORMED_QUERY');
    expect(failure('SELECT Id FROM Project__c WHERE').message).toContain('unexpected token');
    expect(failure("SELECT Id FROM Project__c WHERE Name = 'a' AND Name = 'b' OR Name = 'c'").errorCode).toBe(
      'MALFORMED_QUERY'
    );
    expect(failure('SELECT Nope__r.Name FROM Project__c').message).toContain(
      "Didn't understand relationship 'Nope__r'"
    );
    expect(failure('SELECT Name, (SELECT Id FROM Nopes__r) FROM Project__c').errorCode).toBe('INVALID_TYPE');
    expect(failure("SELECT Id FROM Project__c WHERE Budget__c = '5'").message).toContain(
      "value of filter criterion for field 'Budget__c' must be of type double and should not be enclosed in quotes"
    );
    expect(failure("SELECT Id FROM Project__c WHERE Id = 'nope'").message).toContain('invalid ID field: nope');
    expect(failure('SELECT Name, COUNT(Id) FROM Project__c').message).toContain(
      'Field must be grouped or aggregated: Name'
    );
    expect(failure('SELECT Id, TYPEOF Owner WHEN User THEN Name END FROM Project__c').errorCode).toBe(
      'MALFORMED_QUERY'
    );
    expect(failure('SELECT Id FROM Project__c OFFSET 2001').errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });
});
