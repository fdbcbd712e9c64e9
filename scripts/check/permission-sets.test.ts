import * as fs from 'node:fs';
import * as path from 'node:path';
import { childrenNamed, loadSchema, readXmlFile, textOf, type XmlElement } from '@handoff/schema';

/**
 * Least-privilege properties of the Handoff permission sets, read from force-app. The xref gate checks that the
 * sets name real objects, fields and classes; this checks what they grant.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const PERMISSION_SETS = path.join(ROOT, 'force-app', 'main', 'shared', 'permissionsets');
const schema = loadSchema(ROOT);

/** The package's own data objects: custom objects, not custom metadata types or platform events. */
const handoffObjects = schema
  .objects()
  .filter((object) => object.custom && !object.customMetadata && !object.platformEvent)
  .map((object) => object.name);

interface ObjectAccess {
  object: string;
  create: boolean;
  read: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

interface FieldAccess {
  object: string;
  field: string;
  readable: boolean;
  editable: boolean;
}

const flag = (element: XmlElement, name: string): boolean => textOf(element, name) === 'true';

function permissionSet(name: string): XmlElement {
  const file = path.join(PERMISSION_SETS, `${name}.permissionset-meta.xml`);
  return readXmlFile(file, path.relative(ROOT, file));
}

function objectAccess(set: XmlElement): ObjectAccess[] {
  return childrenNamed(set, 'objectPermissions').map((permission) => ({
    object: textOf(permission, 'object') ?? '',
    create: flag(permission, 'allowCreate'),
    read: flag(permission, 'allowRead'),
    edit: flag(permission, 'allowEdit'),
    delete: flag(permission, 'allowDelete'),
    viewAll: flag(permission, 'viewAllRecords'),
    modifyAll: flag(permission, 'modifyAllRecords')
  }));
}

function fieldAccess(set: XmlElement): FieldAccess[] {
  return childrenNamed(set, 'fieldPermissions').map((permission) => {
    const [object = '', field = ''] = (textOf(permission, 'field') ?? '').split('.');
    return { object, field, readable: flag(permission, 'readable'), editable: flag(permission, 'editable') };
  });
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The objects the capacity service writes (the forecast contract); users only read them. */
const FORECAST_OBJECTS = [
  'Capacity_Forecast_Run__c',
  'Capacity_Forecast__c',
  'Staffing_Answer__c',
  'Staffing_Recommendation__c',
  'Forecast_Snapshot__c',
  'Forecast_Accuracy__c'
];
/** The capacity service's own coordination records: the run lease. Only the integration user touches them. */
const SERVICE_OBJECTS = ['Capacity_Run_Lease__c'];
/** What-if scenarios a user saves (Private: each sees their own and those shared with them) and their changes. */
const SCENARIO_INPUTS = ['Capacity_Scenario__c', 'Scenario_Change__c'];
/** The fields of a scenario a user edits (Requested At: running it); the rest (status, error, baseline run, the deal's answer) the service writes. */
const SCENARIO_USER_FIELDS = [
  'Capacity_Scenario__c.Description__c',
  'Capacity_Scenario__c.Opportunity__c',
  'Capacity_Scenario__c.Requested_At__c'
];
/** The fields of a scenario the service writes. */
const SCENARIO_SERVICE_FIELDS = (schema.object('Capacity_Scenario__c')?.fields ?? [])
  .filter((field) => field.custom && !SCENARIO_USER_FIELDS.includes(`Capacity_Scenario__c.${field.name}`))
  .map((field) => field.name);
/** The forecast objects a sales rep reads: runs, rows, answers and the forecast's accuracy, not staffing recommendations. */
const SALES_REP_FORECAST_OBJECTS = [
  'Capacity_Forecast_Run__c',
  'Capacity_Forecast__c',
  'Staffing_Answer__c',
  'Forecast_Snapshot__c',
  'Forecast_Accuracy__c'
];
/** Besides scenarios, the one Handoff object a sales rep writes: the answers to the handoff questions on their deals. */
const SALES_REP_WRITES = ['Deal_Handoff_Answer__c'];

/** Custom fields of an object that take field permissions (required and master-detail fields take none). */
const permissionableFields = (objectName: string): string[] =>
  (schema.object(objectName)?.fields ?? [])
    .filter((field) => field.custom && !field.required && field.type !== 'MasterDetail')
    .map((field) => field.name);

const isForecastObject = (objectName: string): boolean => FORECAST_OBJECTS.some((name) => sameName(name, objectName));
const isServiceObject = (objectName: string): boolean => SERVICE_OBJECTS.some((name) => sameName(name, objectName));
const isScenarioInput = (objectName: string): boolean => SCENARIO_INPUTS.some((name) => sameName(name, objectName));
/** A field a user may edit on a scenario or its changes (every custom field of a change, the user fields of a scenario). */
const userEditable = (access: FieldAccess): boolean =>
  sameName(access.object, 'Scenario_Change__c') ||
  SCENARIO_USER_FIELDS.some((field) => sameName(field, `${access.object}.${access.field}`));
/** Any write an object permission grants; Modify All implies edit and delete. */
const writes = (access: ObjectAccess): boolean => access.create || access.edit || access.delete || access.modifyAll;

describe('permission sets', () => {
  const names = fs
    .readdirSync(PERMISSION_SETS)
    .filter((file) => file.endsWith('.permissionset-meta.xml'))
    .map((file) => file.replace('.permissionset-meta.xml', ''));

  it('are the six Handoff audiences', () => {
    expect(names.sort()).toEqual([
      'Handoff_Capacity_Integration',
      'Handoff_Data_Loader',
      'Handoff_Delivery_Manager',
      'Handoff_Integration_Operations',
      'Handoff_Outbox_Consumer',
      'Handoff_Sales_Rep'
    ]);
  });

  it('cover every forecast object of the contract with fields', () => {
    for (const objectName of FORECAST_OBJECTS) {
      expect(schema.object(objectName)).toBeDefined();
      expect(permissionableFields(objectName).length).toBeGreaterThan(0);
    }
  });

  it.each(names.filter((name) => name !== 'Handoff_Capacity_Integration'))(
    '%s grants nothing on the run lease, which only the capacity service uses',
    (name) => {
      const set = permissionSet(name);
      expect(objectAccess(set).filter((access) => isServiceObject(access.object))).toEqual([]);
      expect(fieldAccess(set).filter((access) => isServiceObject(access.object))).toEqual([]);
    }
  );

  it.each(names)('%s grants no edit on a calculated field', (name) => {
    const calculatedAndEditable = fieldAccess(permissionSet(name))
      .filter((access) => access.editable && schema.field(access.object, access.field)?.calculated)
      .map((access) => `${access.object}.${access.field}`);
    expect(calculatedAndEditable).toEqual([]);
  });
});

describe('Handoff_Sales_Rep', () => {
  const set = permissionSet('Handoff_Sales_Rep');

  it('grants create, edit or delete on no Handoff custom object but their scenarios and handoff answers, never modify-all', () => {
    const granted = objectAccess(set)
      .filter(
        (access) =>
          handoffObjects.some((name) => sameName(name, access.object)) &&
          writes(access) &&
          !isScenarioInput(access.object)
      )
      .map((access) => access.object);
    expect(handoffObjects.length).toBeGreaterThan(0);
    expect(granted).toEqual(SALES_REP_WRITES);
    expect(objectAccess(set).filter((access) => access.modifyAll || access.viewAll)).toEqual([]);
  });

  it('makes no field of a Handoff custom object editable but the user fields of scenarios and the handoff answer', () => {
    const editable = fieldAccess(set)
      .filter(
        (access) =>
          access.editable && handoffObjects.some((name) => sameName(name, access.object)) && !userEditable(access)
      )
      .map((access) => `${access.object}.${access.field}`);
    expect(editable).toEqual(['Deal_Handoff_Answer__c.Answer__c']);
  });

  it('reads runs, forecast rows and staffing answers with every field, and no staffing recommendation', () => {
    const readable = objectAccess(set)
      .filter((access) => access.read && isForecastObject(access.object))
      .map((access) => access.object)
      .sort();
    expect(readable).toEqual([...SALES_REP_FORECAST_OBJECTS].sort());
    const fields = fieldAccess(set);
    for (const objectName of SALES_REP_FORECAST_OBJECTS) {
      const unreadable = permissionableFields(objectName).filter(
        (fieldName) =>
          !fields.some(
            (access) => access.readable && sameName(access.object, objectName) && sameName(access.field, fieldName)
          )
      );
      expect(unreadable).toEqual([]);
    }
    expect(fields.filter((access) => sameName(access.object, 'Staffing_Recommendation__c'))).toEqual([]);
  });
});

describe('Handoff_Capacity_Integration', () => {
  const set = permissionSet('Handoff_Capacity_Integration');

  it('has API Enabled', () => {
    const apiEnabled = childrenNamed(set, 'userPermissions').find((permission) =>
      sameName(textOf(permission, 'name') ?? '', 'ApiEnabled')
    );
    expect(apiEnabled && flag(apiEnabled, 'enabled')).toBe(true);
  });

  it.each(['Engagement__c', 'Opportunity'])('reads %s but cannot write it or its fields', (objectName) => {
    const access = objectAccess(set).find((candidate) => sameName(candidate.object, objectName));
    expect(access?.read).toBe(true);
    expect(access && writes(access)).toBe(false);
    const editable = fieldAccess(set)
      .filter((field) => field.editable && sameName(field.object, objectName))
      .map((field) => field.field);
    expect(editable).toEqual([]);
  });

  it.each(FORECAST_OBJECTS)('creates, reads and edits %s and every field of it', (objectName) => {
    const access = objectAccess(set).find((candidate) => sameName(candidate.object, objectName));
    expect(access).toMatchObject({
      create: true,
      read: true,
      edit: true,
      // Rows a run no longer produces (a deal closed, a demand line filled) are removed from the slot; the run log
      // is never deleted.
      delete: objectName !== 'Capacity_Forecast_Run__c',
      viewAll: false,
      modifyAll: false
    });
    const editable = fieldAccess(set)
      .filter((field) => field.editable && sameName(field.object, objectName))
      .map((field) => field.field.toLowerCase());
    expect(permissionableFields(objectName).filter((name) => !editable.includes(name.toLowerCase()))).toEqual([]);
  });

  it('may call the capacity service: access to the principal of the Handoff_Capacity_Service external credential', () => {
    const credential = readXmlFile(
      path.join(
        ROOT,
        'force-app/main/integration/externalCredentials/Handoff_Capacity_Service.externalCredential-meta.xml'
      ),
      'Handoff_Capacity_Service.externalCredential-meta.xml'
    );
    const principals = childrenNamed(credential, 'externalCredentialParameters')
      .filter((parameter) => textOf(parameter, 'parameterType') === 'NamedPrincipal')
      .map((parameter) => `Handoff_Capacity_Service-${textOf(parameter, 'parameterName')}`);
    expect(principals).toHaveLength(1);
    const granted = childrenNamed(set, 'externalCredentialPrincipalAccesses')
      .filter((access) => flag(access, 'enabled'))
      .map((access) => textOf(access, 'externalCredentialPrincipal'));
    expect(granted).toEqual(principals);
  });

  it('reads the lifecycle event (external subscribers) and publishes none', () => {
    const access = objectAccess(set).find((candidate) => sameName(candidate.object, 'Handoff_Lifecycle_Event__e'));
    expect(access).toMatchObject({ read: true, create: false });
  });

  it('says in its description what it grants: no delete on the run log, delete on the rows a run replaces', () => {
    const description = textOf(set, 'description') ?? '';
    // PermissionSet.description holds at most 255 characters (Metadata API), or the deploy fails.
    expect(description.length).toBeLessThanOrEqual(255);
    expect(description).toMatch(/forecast runs \(no delete\)/);
    expect(description).toMatch(/deletes forecast rows, staffing answers and recommendations/);
    expect(description).toMatch(/run lease/);
  });

  it.each(SERVICE_OBJECTS)(
    'creates, reads, edits, deletes and sees every record of %s, and edits every field',
    (objectName) => {
      const access = objectAccess(set).find((candidate) => sameName(candidate.object, objectName));
      // A run claims the lease (create), renews it (edit), releases it or takes an expired one over (delete), also
      // when another user's run left it: View All and Modify All on this object only.
      expect(access).toMatchObject({
        create: true,
        read: true,
        edit: true,
        delete: true,
        viewAll: true,
        modifyAll: true
      });
      const editable = fieldAccess(set)
        .filter((field) => field.editable && sameName(field.object, objectName))
        .map((field) => field.field.toLowerCase());
      expect(permissionableFields(objectName).length).toBeGreaterThan(0);
      expect(permissionableFields(objectName).filter((name) => !editable.includes(name.toLowerCase()))).toEqual([]);
    }
  );

  it('writes nothing but the forecast objects, the run lease, scenario results and the status of scenarios', () => {
    const scenarioWrites = ['Capacity_Scenario__c', 'Scenario_Result__c'];
    const writtenObjects = objectAccess(set)
      .filter((access) => writes(access) && !isForecastObject(access.object) && !isServiceObject(access.object))
      .map((access) => access.object)
      .filter((object) => !scenarioWrites.some((name) => sameName(name, object)));
    const editableFields = fieldAccess(set)
      .filter((access) => access.editable && !isForecastObject(access.object) && !isServiceObject(access.object))
      .filter((access) => !sameName(access.object, 'Scenario_Result__c'))
      .map((access) => `${access.object}.${access.field}`);
    expect(writtenObjects).toEqual([]);
    expect(editableFields.sort()).toEqual(
      SCENARIO_SERVICE_FIELDS.map((field) => `Capacity_Scenario__c.${field}`).sort()
    );
  });

  it('reads every scenario and writes its outcome, but never creates one nor edits its changes', () => {
    const access = (objectName: string) =>
      objectAccess(set).find((candidate) => sameName(candidate.object, objectName));
    expect(access('Capacity_Scenario__c')).toMatchObject({ create: false, read: true, edit: true, viewAll: true });
    expect(access('Scenario_Change__c')).toMatchObject({ create: false, read: true, edit: false, delete: false });
    expect(access('Scenario_Result__c')).toMatchObject({ create: true, read: true, edit: true, delete: true });
    expect(SCENARIO_SERVICE_FIELDS).toEqual(expect.arrayContaining(['Status__c', 'Error__c', 'Computed_At__c']));
    const editable = fieldAccess(set)
      .filter((field) => field.editable && sameName(field.object, 'Scenario_Result__c'))
      .map((field) => field.field.toLowerCase());
    expect(permissionableFields('Scenario_Result__c').filter((name) => !editable.includes(name.toLowerCase()))).toEqual(
      []
    );
  });
});

describe.each(['Handoff_Sales_Rep', 'Handoff_Delivery_Manager'])('%s and what-if scenarios', (name) => {
  const set = permissionSet(name);
  const access = (objectName: string) => objectAccess(set).find((candidate) => sameName(candidate.object, objectName));

  it('saves, edits and deletes their own scenarios and changes (no View All or Modify All: Private sharing decides)', () => {
    for (const objectName of SCENARIO_INPUTS) {
      expect(access(objectName)).toMatchObject({
        create: true,
        read: true,
        edit: true,
        delete: true,
        viewAll: false,
        modifyAll: false
      });
    }
    const file = 'force-app/main/capacity/objects/Capacity_Scenario__c/Capacity_Scenario__c.object-meta.xml';
    expect(textOf(readXmlFile(path.join(ROOT, file), file), 'sharingModel')).toBe('Private');
  });

  it('reads results and every scenario field, and edits none the service writes', () => {
    expect(access('Scenario_Result__c')).toMatchObject({ create: false, read: true, edit: false, delete: false });
    const fields = fieldAccess(set).filter((field) => sameName(field.object, 'Capacity_Scenario__c'));
    const readable = fields.filter((field) => field.readable).map((field) => field.field);
    expect(permissionableFields('Capacity_Scenario__c').filter((field) => !readable.includes(field))).toEqual([]);
    const editable = fields.filter((field) => field.editable).map((field) => `Capacity_Scenario__c.${field.field}`);
    expect(editable.sort()).toEqual([...SCENARIO_USER_FIELDS].sort());
  });
});

describe('Handoff_Delivery_Manager', () => {
  const set = permissionSet('Handoff_Delivery_Manager');

  it('cannot delete engagements (no Delete, and no Modify All, which implies it)', () => {
    const access = objectAccess(set).find((candidate) => sameName(candidate.object, 'Engagement__c'));
    expect(access).toMatchObject({ read: true, delete: false, modifyAll: false });
  });

  it('can read every non-required custom field of Engagement__c', () => {
    const readable = new Set(
      fieldAccess(set)
        .filter((access) => access.readable && sameName(access.object, 'Engagement__c'))
        .map((access) => access.field.toLowerCase())
    );
    const fields = schema
      .object('Engagement__c')!
      .fields.filter((field) => field.custom && !field.required && field.type !== 'MasterDetail');
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.map((field) => field.name).filter((name) => !readable.has(name.toLowerCase()))).toEqual([]);
  });

  it.each(FORECAST_OBJECTS)('reads %s and every field of it, writes none', (objectName) => {
    const access = objectAccess(set).find((candidate) => sameName(candidate.object, objectName));
    expect(access?.read).toBe(true);
    expect(access && writes(access)).toBe(false);
    const fields = fieldAccess(set).filter((field) => sameName(field.object, objectName));
    expect(fields.filter((field) => field.editable)).toEqual([]);
    const readable = fields.filter((field) => field.readable).map((field) => field.field.toLowerCase());
    expect(permissionableFields(objectName).filter((name) => !readable.includes(name.toLowerCase()))).toEqual([]);
  });
});

describe('staffing recommendations and Book', () => {
  const names = fs
    .readdirSync(PERMISSION_SETS)
    .filter((file) => file.endsWith('.permissionset-meta.xml'))
    .map((file) => file.replace('.permissionset-meta.xml', ''));
  /** What StaffingRecommendationController reads and what Book (a soft Assignment__c on a demand line) creates. */
  const classAccess = (set: XmlElement): string[] =>
    childrenNamed(set, 'classAccesses')
      .filter((access) => textOf(access, 'enabled') === 'true')
      .map((access) => textOf(access, 'apexClass') ?? '');
  const grants = (set: XmlElement, objectName: string) =>
    objectAccess(set).find((access) => sameName(access.object, objectName));

  it.each(names)('%s runs StaffingRecommendationController only with what Book and the list need', (name) => {
    const set = permissionSet(name);
    if (!classAccess(set).includes('StaffingRecommendationController')) return;
    // Book creates Assignment__c with Demand__c in user mode; the list reads recommendations and demand lines.
    expect(grants(set, 'Assignment__c')).toMatchObject({ read: true, create: true });
    const demandField = fieldAccess(set).find(
      (access) => sameName(access.object, 'Assignment__c') && sameName(access.field, 'Demand__c')
    );
    expect(demandField?.editable).toBe(true);
    expect(grants(set, 'Staffing_Recommendation__c')).toMatchObject({ read: true });
    expect(grants(set, 'Resource_Demand__c')).toMatchObject({ read: true });
  });

  it('is given to delivery managers only: sales reps neither see recommendations nor book', () => {
    const withClass = names.filter((name) =>
      classAccess(permissionSet(name)).includes('StaffingRecommendationController')
    );
    expect(withClass).toEqual(['Handoff_Delivery_Manager']);
    expect(grants(permissionSet('Handoff_Sales_Rep'), 'Assignment__c')?.create ?? false).toBe(false);
  });
});

describe('Handoff_Data_Loader', () => {
  const set = permissionSet('Handoff_Data_Loader');

  it('grants only the Handoff_Bypass_Automation custom permission', () => {
    const grants = set.children
      .filter((element) => !['label', 'description', 'hasActivationRequired'].includes(element.name))
      .map((element) =>
        element.name === 'customPermissions' ? `${textOf(element, 'name')}=${textOf(element, 'enabled')}` : element.name
      );
    expect(grants).toEqual(['Handoff_Bypass_Automation=true']);
    expect(
      fs.existsSync(
        path.join(
          ROOT,
          'force-app/main/lifecycle/customPermissions/Handoff_Bypass_Automation.customPermission-meta.xml'
        )
      )
    ).toBe(true);
  });
});

describe('the integration outbox', () => {
  const OUTBOX = 'Integration_Message__c';
  const grantOf = (name: string) => objectAccess(permissionSet(name)).find((access) => sameName(access.object, OUTBOX));
  const editableOf = (name: string) =>
    fieldAccess(permissionSet(name))
      .filter((access) => sameName(access.object, OUTBOX) && access.editable)
      .map((access) => access.field)
      .sort();

  it('operations read every message and edit them, but create and delete none', () => {
    expect(grantOf('Handoff_Integration_Operations')).toMatchObject({
      read: true,
      edit: true,
      viewAll: true,
      create: false,
      delete: false,
      modifyAll: false
    });
  });

  it('operations edit only what a replay writes', () => {
    expect(editableOf('Handoff_Integration_Operations')).toEqual([
      'Attempts__c',
      'Claim_Token__c',
      'Last_Error__c',
      'Next_Attempt_At__c',
      'Replay_Reason__c',
      'Replayed_At__c',
      'Replayed_By__c'
    ]);
    const classes = childrenNamed(permissionSet('Handoff_Integration_Operations'), 'classAccesses').map(
      (access) => textOf(access, 'apexClass') ?? ''
    );
    expect(classes).toEqual(['IntegrationOutboxController']);
  });

  it('the consumer claims and marks every message through the API and creates none', () => {
    const set = permissionSet('Handoff_Outbox_Consumer');
    const apiEnabled = childrenNamed(set, 'userPermissions').find((p) => textOf(p, 'name') === 'ApiEnabled');
    expect(apiEnabled && flag(apiEnabled, 'enabled')).toBe(true);
    // Modify All (to edit messages other users own) comes with Delete; the consumer never deletes (see the description).
    expect(grantOf('Handoff_Outbox_Consumer')).toMatchObject({ read: true, edit: true, create: false, delete: true });
    expect(editableOf('Handoff_Outbox_Consumer')).toEqual([
      'Attempts__c',
      'Claim_Token__c',
      'Delivered_At__c',
      'Last_Error__c',
      'Next_Attempt_At__c'
    ]);
    expect(objectAccess(set).map((access) => access.object)).toEqual([OUTBOX]);
  });

  it.each(['Handoff_Capacity_Integration', 'Handoff_Data_Loader', 'Handoff_Delivery_Manager', 'Handoff_Sales_Rep'])(
    '%s grants nothing on the outbox (the automation writes it in system mode)',
    (name) => {
      expect(grantOf(name)).toBeUndefined();
      expect(fieldAccess(permissionSet(name)).filter((access) => sameName(access.object, OUTBOX))).toEqual([]);
    }
  );
});

describe('callouts to the capacity service', () => {
  // A Queueable callout runs as the user who enqueued it, and a named credential's callout needs that user to hold
  // the external credential principal (Salesforce Help, "Named Credentials Schema"): every set whose controllers
  // request a scenario (CapacityScenarioRequest) must grant it, or each request fails with a CalloutException.
  const REQUESTING_CONTROLLERS = ['CapacityScenarioController', 'DeliveryOutlookController'];
  it.each(['Handoff_Sales_Rep', 'Handoff_Delivery_Manager'])(
    '%s holds the service principal it calls out with',
    (name) => {
      const set = permissionSet(name);
      const classes = childrenNamed(set, 'classAccesses')
        .filter((access) => flag(access, 'enabled'))
        .map((access) => textOf(access, 'apexClass') ?? '');
      const principals = childrenNamed(set, 'externalCredentialPrincipalAccesses')
        .filter((access) => flag(access, 'enabled'))
        .map((access) => textOf(access, 'externalCredentialPrincipal'));
      expect(classes.some((apexClass) => REQUESTING_CONTROLLERS.includes(apexClass))).toBe(true);
      expect(principals).toEqual(['Handoff_Capacity_Service-Handoff_Service']);
    }
  );
});

describe('object permissions a deploy accepts', () => {
  // Modify All Records needs Read, Edit, Delete and View All on the same object (Object Reference, "ObjectPermissions":
  // PermissionsModifyAllRecords); View All needs Read. A set that leaves one out fails to deploy.
  const names = fs
    .readdirSync(PERMISSION_SETS)
    .filter((file) => file.endsWith('.permissionset-meta.xml'))
    .map((file) => file.replace('.permissionset-meta.xml', ''));
  it.each(names)('%s grants Modify All and View All only with the permissions they depend on', (name) => {
    const broken = objectAccess(permissionSet(name))
      .filter(
        (access) =>
          (access.modifyAll && !(access.read && access.edit && access.delete && access.viewAll)) ||
          (access.viewAll && !access.read)
      )
      .map((access) => access.object);
    expect(broken).toEqual([]);
  });
});
