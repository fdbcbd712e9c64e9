import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSchema, parseXml, XmlSyntaxError } from './index';

/** Writes a throwaway SFDX project from a map of relative path -> content. */
function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-schema-'));
  const all = {
    'sfdx-project.json': JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }),
    ...files
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const OBJECTS = 'force-app/main/default/objects';
const field = (name: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n<fullName>${name}</fullName>\n<label>${name}</label>\n${body}\n</CustomField>\n`;

describe('schema module', () => {
  let root: string;

  beforeAll(() => {
    root = project({
      [`${OBJECTS}/Engagement__c/Engagement__c.object-meta.xml`]:
        '<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Engagement</label><pluralLabel>Engagements</pluralLabel><nameField><label>Engagement Name</label><type>Text</type></nameField></CustomObject>',
      [`${OBJECTS}/Engagement__c/fields/Opportunity__c.field-meta.xml`]: field(
        'Opportunity__c',
        '<type>Lookup</type><referenceTo>Opportunity</referenceTo><relationshipName>Engagements</relationshipName>'
      ),
      [`${OBJECTS}/Engagement__c/fields/Opportunity_Key__c.field-meta.xml`]: field(
        'Opportunity_Key__c',
        '<type>Text</type><length>18</length><unique>true</unique><externalId>true</externalId>'
      ),
      [`${OBJECTS}/Engagement__c/fields/Role__c.field-meta.xml`]: field(
        'Role__c',
        '<type>Picklist</type><required>true</required><valueSet><valueSetName>Handoff_Roles</valueSetName></valueSet>'
      ),
      [`${OBJECTS}/Engagement__c/fields/Margin__c.field-meta.xml`]: field(
        'Margin__c',
        '<type>Percent</type><precision>5</precision><scale>2</scale><formula>0.3</formula>'
      ),
      [`${OBJECTS}/Phase__c/Phase__c.object-meta.xml`]:
        '<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Phase</label><pluralLabel>Phases</pluralLabel><nameField><label>Number</label><type>AutoNumber</type></nameField></CustomObject>',
      [`${OBJECTS}/Phase__c/fields/Engagement__c.field-meta.xml`]: field(
        'Engagement__c',
        '<type>MasterDetail</type><referenceTo>Engagement__c</referenceTo><relationshipName>Phases</relationshipName>'
      ),
      [`${OBJECTS}/Opportunity/fields/Delivery_Lead__c.field-meta.xml`]: field(
        'Delivery_Lead__c',
        '<type>Lookup</type><referenceTo>User</referenceTo><relationshipName>Led_Opportunities</relationshipName>'
      ),
      [`${OBJECTS}/Stage_Rule__mdt/Stage_Rule__mdt.object-meta.xml`]:
        '<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Stage Rule</label><pluralLabel>Stage Rules</pluralLabel></CustomObject>',
      'force-app/main/default/globalValueSets/Handoff_Roles.globalValueSet-meta.xml':
        '<GlobalValueSet xmlns="http://soap.sforce.com/2006/04/metadata"><customValue><fullName>Architect</fullName><label>Architect</label></customValue><customValue><fullName>Developer</fullName><label>Developer</label></customValue><masterLabel>Roles</masterLabel></GlobalValueSet>'
    });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('loads custom objects with their declared fields and the platform system fields', () => {
    const schema = loadSchema(root);
    const engagement = schema.object('engagement__C');
    expect(engagement).toMatchObject({ name: 'Engagement__c', label: 'Engagement', custom: true });
    expect(schema.field('Engagement__c', 'Opportunity_Key__c')).toMatchObject({
      type: 'Text',
      length: 18,
      unique: true,
      externalId: true,
      source: { file: `${OBJECTS}/Engagement__c/fields/Opportunity_Key__c.field-meta.xml`, line: 2 }
    });
    expect(schema.field('Engagement__c', 'Name')).toMatchObject({ type: 'Text', createable: true });
    expect(schema.field('Engagement__c', 'OwnerId')).toMatchObject({ referenceTo: ['User', 'Group'] });
    expect(schema.field('Engagement__c', 'Margin__c')).toMatchObject({
      calculated: true,
      createable: false,
      formula: '0.3'
    });
    expect(schema.problems).toEqual([]);
  });

  it('treats a master-detail child as owned by its parent, with an auto-number name', () => {
    const schema = loadSchema(root);
    expect(schema.field('Phase__c', 'OwnerId')).toBeUndefined();
    expect(schema.field('Phase__c', 'Name')).toMatchObject({ type: 'AutoNumber', calculated: true });
    expect(schema.field('Phase__c', 'Engagement__c')).toMatchObject({ required: true, updateable: false });
  });

  it('resolves global value sets into restricted picklists', () => {
    expect(loadSchema(root).field('Engagement__c', 'Role__c')).toMatchObject({
      picklistValues: ['Architect', 'Developer'],
      restrictedPicklist: true,
      required: true
    });
  });

  it('adds custom fields to standard objects from the catalog', () => {
    const schema = loadSchema(root);
    expect(schema.field('Opportunity', 'StageName')).toMatchObject({ type: 'Picklist', required: true });
    expect(schema.field('Opportunity', 'Delivery_Lead__c')).toMatchObject({
      custom: true,
      relationshipName: 'Delivery_Lead__r'
    });
    expect(loadSchema(root, { standardObjects: false }).object('Opportunity')).toBeUndefined();
  });

  it('resolves relationship paths and child relationships', () => {
    const schema = loadSchema(root);
    const resolved = schema.resolveFieldPath('Phase__c', 'Engagement__r.Opportunity__r.Account.Owner.Name');
    expect(resolved).toMatchObject({ ok: true, object: { name: 'User' }, field: { name: 'Name' } });
    expect(schema.resolveFieldPath('Engagement__c', 'Opportunity__r.Nmae')).toEqual({
      ok: false,
      error: 'no field Nmae on Opportunity'
    });
    expect(schema.resolveFieldPath('Engagement__c', 'Opp__r.Name')).toEqual({
      ok: false,
      error: 'no relationship Opp__r on Engagement__c'
    });
    expect(schema.childRelationship('Engagement__c', 'phases__r')).toEqual({
      relationshipName: 'Phases__r',
      childObject: 'Phase__c',
      field: 'Engagement__c'
    });
    expect(schema.childRelationship('Opportunity', 'OpportunityLineItems')?.childObject).toBe('OpportunityLineItem');
  });

  it('gives objects distinct, stable key prefixes', () => {
    const first = loadSchema(root);
    const second = loadSchema(root);
    const prefixes = first.objects().map((object) => object.keyPrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(first.object('Opportunity')?.keyPrefix).toBe('006');
    expect(first.object('Engagement__c')?.keyPrefix).toMatch(/^a[0-9A-Za-z]{2}$/);
    expect(first.object('Stage_Rule__mdt')?.keyPrefix).toMatch(/^m/);
    expect(second.object('Engagement__c')?.keyPrefix).toBe(first.object('Engagement__c')?.keyPrefix);
    expect(first.objectByKeyPrefix(first.object('Engagement__c')!.keyPrefix)?.name).toBe('Engagement__c');
  });

  it('reports what it cannot read instead of skipping it silently', () => {
    const broken = project({
      [`${OBJECTS}/Thing__c/fields/Size__c.field-meta.xml`]: field('Size__c', '<type>Numbr</type>'),
      [`${OBJECTS}/Thing__c/fields/Kind__c.field-meta.xml`]: field(
        'Kind__c',
        '<type>Picklist</type><valueSet><valueSetName>Kinds</valueSetName></valueSet>'
      ),
      [`${OBJECTS}/Thing__c/fields/Bad__c.field-meta.xml`]: '<CustomField><type>Text</typ></CustomField>'
    });
    try {
      const schema = loadSchema(broken);
      expect(
        schema.problems.map((problem) => `${path.basename(problem.file)}:${problem.line} ${problem.message}`).sort()
      ).toEqual([
        'Bad__c.field-meta.xml:1 unexpected close tag </typ>',
        'Kind__c.field-meta.xml:5 field Kind__c uses unknown global value set "Kinds"',
        'Size__c.field-meta.xml:5 field Size__c has unknown type "Numbr"'
      ]);
      expect(schema.field('Thing__c', 'Size__c')).toBeUndefined();
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  it('parses XML strictly, pointing at the offending line', () => {
    expect(parseXml('<a>\n  <b x="1">text</b>\n</a>').children[0]).toMatchObject({
      name: 'b',
      text: 'text',
      line: 2,
      attributes: { x: '1' }
    });
    expect(() => parseXml('<a>\n<b>\n</a>', 'f.xml')).toThrow(XmlSyntaxError);
    try {
      parseXml('<a>\n<b>\n</a>', 'f.xml');
    } catch (error) {
      expect(error).toMatchObject({ file: 'f.xml', line: 3 });
    }
  });
});
