import * as fs from 'node:fs';
import * as path from 'node:path';
import { childrenNamed, loadSchema, readXmlFile, textOf, type XmlElement } from '@handoff/schema';
import { inputQueries } from '../../services/capacity/src/run/inputs';

/**
 * Record access, read from force-app: which records each audience sees once the object permissions let it in.
 * No Handoff object is Public Read/Write; engagements and resources are Private; whoever must see every record
 * (delivery managers, the capacity integration for what it reads) has View All; the engagement's Apex sharing
 * reasons, recalculation class and delivery managers group exist and match the Apex that writes the shares.
 * (permission-sets.test.ts checks the object and field permissions themselves.)
 */
const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'force-app', 'main');
const schema = loadSchema(ROOT);

function filesUnder(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const xml = (file: string): XmlElement => readXmlFile(file, path.relative(ROOT, file));

/** Each Handoff data object (custom object, not custom metadata or platform event) with its object file. */
const objectFiles = new Map(
  filesUnder(MAIN, '.object-meta.xml')
    .map((file) => [path.basename(file, '.object-meta.xml'), file] as const)
    .filter(([name]) => /__c$/.test(name))
);

function sharingModel(objectName: string): string | undefined {
  const file = objectFiles.get(objectName);
  return file ? textOf(xml(file), 'sharingModel') : undefined;
}

/** The object whose sharing decides who sees a record: the master of a ControlledByParent object. */
function sharingOwner(objectName: string): string {
  if (sharingModel(objectName) !== 'ControlledByParent') return objectName;
  const master = schema.object(objectName)?.fields.find((field) => field.type === 'MasterDetail');
  expect(master?.referenceTo?.length).toBe(1);
  return sharingOwner(master!.referenceTo![0]);
}

interface ObjectAccess {
  object: string;
  read: boolean;
  viewAll: boolean;
}

function objectAccess(permissionSet: string): ObjectAccess[] {
  const file = path.join(MAIN, 'shared', 'permissionsets', `${permissionSet}.permissionset-meta.xml`);
  return childrenNamed(xml(file), 'objectPermissions').map((permission) => ({
    object: textOf(permission, 'object') ?? '',
    read: textOf(permission, 'allowRead') === 'true',
    viewAll: textOf(permission, 'viewAllRecords') === 'true'
  }));
}

/** Objects whose every record the permission set's holders see: readable, and Public Read Only or View All. */
function seesEveryRecordOf(permissionSet: string, objectName: string): boolean {
  const access = objectAccess(permissionSet);
  const owner = sharingOwner(objectName);
  const readable = (name: string) => access.some((grant) => grant.object === name && grant.read);
  const viewAll = access.some((grant) => grant.object === owner && grant.viewAll);
  return readable(objectName) && readable(owner) && (sharingModel(owner) === 'Read' || viewAll);
}

describe('org-wide defaults', () => {
  it('finds the Handoff data objects', () => {
    expect([...objectFiles.keys()]).toEqual(expect.arrayContaining(['Engagement__c', 'Resource__c']));
  });

  it.each([...objectFiles.keys()])('%s is not Public Read/Write, inside or outside the org', (objectName) => {
    const object = xml(objectFiles.get(objectName)!);
    expect(['Private', 'Read', 'ControlledByParent']).toContain(textOf(object, 'sharingModel'));
    expect(['Private', 'ControlledByParent']).toContain(textOf(object, 'externalSharingModel'));
  });

  it.each(['Engagement__c', 'Resource__c', 'Integration_Message__c'])('%s is Private', (objectName) => {
    expect(sharingModel(objectName)).toBe('Private');
  });
});

describe('who sees every record', () => {
  const serviceReads = Object.values(inputQueries('2026-01-05', '2027-12-27'))
    .map((soql) => /\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? '')
    .filter((name) => /__c$/.test(name));

  it('the capacity service reads custom objects', () => {
    expect(serviceReads).toEqual(expect.arrayContaining(['Engagement__c', 'Resource__c', 'Resource_Demand__c']));
  });

  it.each([...new Set(serviceReads)])('the capacity integration reads every %s record', (objectName) => {
    expect(seesEveryRecordOf('Handoff_Capacity_Integration', objectName)).toBe(true);
  });

  it.each(['Engagement__c', 'Resource__c', 'Resource_Demand__c', 'Assignment__c', 'Staffing_Recommendation__c'])(
    'a delivery manager reads every %s record',
    (objectName) => {
      expect(seesEveryRecordOf('Handoff_Delivery_Manager', objectName)).toBe(true);
    }
  );

  it.each(['Handoff_Integration_Operations', 'Handoff_Outbox_Consumer'])(
    '%s reads every Integration_Message__c record',
    (permissionSet) => {
      expect(seesEveryRecordOf(permissionSet, 'Integration_Message__c')).toBe(true);
    }
  );

  it('a sales rep reads no private record it is not given: no View All anywhere', () => {
    expect(objectAccess('Handoff_Sales_Rep').filter((grant) => grant.viewAll)).toEqual([]);
    expect(seesEveryRecordOf('Handoff_Sales_Rep', 'Engagement__c')).toBe(false);
  });
});

describe('engagement sharing', () => {
  const objectDir = path.dirname(objectFiles.get('Engagement__c')!);
  const apex = fs.readFileSync(path.join(MAIN, 'lifecycle', 'classes', 'EngagementSharing.cls'), 'utf8');
  const constant = (name: string) => new RegExp(`\\b${name}\\s*=\\s*'([^']+)'`).exec(apex)?.[1];

  it('writes the row causes the object declares as Apex sharing reasons', () => {
    const reasons = filesUnder(path.join(objectDir, 'sharingReasons'), '.sharingReason-meta.xml').map(
      (file) => textOf(xml(file), 'fullName') ?? ''
    );
    expect(reasons.sort()).toEqual([constant('DEAL_TEAM'), constant('DELIVERY')].sort());
  });

  it('shares with the delivery managers group the package ships', () => {
    const group = constant('DELIVERY_GROUP');
    expect(fs.existsSync(path.join(MAIN, 'shared', 'groups', `${group}.group-meta.xml`))).toBe(true);
  });

  it('registers a recalculation class that exists and is a batch', () => {
    const recalculations = childrenNamed(xml(objectFiles.get('Engagement__c')!), 'sharingRecalculations');
    const className = recalculations.length === 1 ? textOf(recalculations[0], 'className') : undefined;
    const source = filesUnder(MAIN, `${className}.cls`)[0];
    expect(source).toBeDefined();
    expect(fs.readFileSync(source, 'utf8')).toMatch(/implements\s+Database\.Batchable<SObject>/);
  });
});
