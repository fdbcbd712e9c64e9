import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSchema } from '@handoff/schema';
import { OPEN_STAGES, PRODUCTS, ROLES, STAGE_PROBABILITY, type Stage } from './catalog';
import { addDays, mondayOf } from './dates';
import { demandsOf, weeklyCapacity, weeklyDemand } from './demand-model';
import { DEFAULT_TODAY, generateFirm, PLACEHOLDERS, SOBJECTS, type DemoFirm, type FirmRecord } from './demo-firm';
import { samplePlanFiles } from './sample-plan';

const ROOT = path.join(__dirname, '..', '..');
const SAMPLE_DIR = path.join(__dirname, 'sample');
const small = generateFirm({ size: 'small' });

function fieldsOf(record: FirmRecord): [string, unknown][] {
  return Object.entries(record).filter(([key]) => key !== 'referenceId');
}

describe('generateFirm: determinism and dates', () => {
  it('gives deep-equal firms for the same options, and another firm for another seed', () => {
    expect(generateFirm({ size: 'small' })).toEqual(small);
    expect(JSON.stringify(generateFirm({ size: 'small', seed: small.seed, today: DEFAULT_TODAY }))).toBe(
      JSON.stringify(small)
    );
    expect(generateFirm({ size: 'small', seed: 7 }).records.Resource__c).not.toEqual(small.records.Resource__c);
  });

  it('anchors every date to `today`', () => {
    const today = '2027-06-09';
    const firm = generateFirm({ size: 'small', today });
    for (const opportunity of firm.records.Opportunity) {
      const open = (OPEN_STAGES as readonly Stage[]).includes(opportunity.StageName);
      expect(open ? opportunity.CloseDate > today : opportunity.CloseDate <= today).toBe(true);
      expect(opportunity.Expected_Start__c <= opportunity.Expected_End__c).toBe(true);
    }
    expect(firm.records.Holiday.every((holiday) => holiday.ActivityDate >= today)).toBe(true);
    expect(() => generateFirm({ size: 'small', today: '2027-02-30' })).toThrow('not a calendar date');
  });
});

describe('generateFirm: the small firm', () => {
  const { records } = small;

  it('has the documented sizes', () => {
    expect(Object.keys(records)).toEqual([...SOBJECTS]);
    expect(records.Account).toHaveLength(12);
    expect(records.Contact).toHaveLength(24);
    expect(records.Product2.map((product) => product.ProductCode)).toEqual(Object.keys(PRODUCTS));
    expect(records.PricebookEntry).toHaveLength(7);
    expect(records.Opportunity).toHaveLength(60);
    expect(records.Resource__c).toHaveLength(40);
    expect(records.Time_Off__c).toHaveLength(30);
    expect(records.Holiday.length).toBeGreaterThanOrEqual(12);
    expect(records.Holiday.length).toBeLessThanOrEqual(20);
    const stages = new Set(records.Opportunity.map((opportunity) => opportunity.StageName));
    expect([...stages].sort()).toEqual(Object.keys(STAGE_PROBABILITY).sort());
  });

  it('has unique reference ids named <object>Ref<n>, and every @reference names an earlier record', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const sobject of SOBJECTS) {
      for (const record of records[sobject] as FirmRecord[]) {
        if (!new RegExp(`^${sobject}Ref\\d+$`).test(record.referenceId)) problems.push(`bad id ${record.referenceId}`);
        if (seen.has(record.referenceId)) problems.push(`duplicate ${record.referenceId}`);
        for (const [field, value] of fieldsOf(record)) {
          if (typeof value !== 'string' || !value.startsWith('@')) continue;
          const placeholder = (Object.values(PLACEHOLDERS) as string[]).includes(value);
          if (!placeholder && !seen.has(value.slice(1))) problems.push(`${record.referenceId}.${field} = ${value}`);
        }
        seen.add(record.referenceId);
      }
    }
    expect(problems).toEqual([]);
  });

  it('builds an account hierarchy: three parents with subsidiaries, parents listed first', () => {
    const parents = new Set(records.Account.map((account) => account.ParentId).filter(Boolean));
    expect(parents.size).toBe(3);
    for (const account of records.Account.filter((candidate) => candidate.ParentId)) {
      const parent = records.Account.find((candidate) => `@${candidate.referenceId}` === account.ParentId)!;
      expect(parent.ParentId).toBeUndefined();
    }
  });

  it('prices opportunities: Amount is the sum of 1-4 line items of distinct products', () => {
    for (const opportunity of records.Opportunity) {
      const items = records.OpportunityLineItem.filter((item) => item.OpportunityId === `@${opportunity.referenceId}`);
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(items.length).toBeLessThanOrEqual(4);
      expect(new Set(items.map((item) => item.PricebookEntryId)).size).toBe(items.length);
      expect(items.reduce((sum, item) => sum + item.Quantity * item.UnitPrice, 0)).toBe(opportunity.Amount);
      expect(items.every((item) => item.ServiceDate >= opportunity.Expected_Start__c)).toBe(true);
    }
  });

  it('keeps probability, close date and handoff fields consistent with the stage', () => {
    for (const opportunity of records.Opportunity) {
      expect(opportunity.Probability).toBe(STAGE_PROBABILITY[opportunity.StageName]);
      const open = (OPEN_STAGES as readonly Stage[]).includes(opportunity.StageName);
      expect(open ? opportunity.CloseDate > small.today : opportunity.CloseDate <= small.today).toBe(true);
      // the Closed Won validation rules
      expect(opportunity.Amount).toBeGreaterThan(0);
      expect(opportunity.Expected_Start__c).toBeTruthy();
      expect(opportunity.Delivery_Lead__c).toBe(PLACEHOLDERS.deliveryLeadId);
    }
    expect(new Set(records.Opportunity.map((opportunity) => opportunity.Name)).size).toBe(60);
    const won = records.Opportunity.filter((opportunity) => opportunity.StageName === 'Closed Won');
    expect(new Set(won.map((opportunity) => opportunity.Amount)).size).toBe(won.length);
  });

  it('staffs every role, with part-timers, joiners and leavers', () => {
    const resources = records.Resource__c;
    expect(new Set(resources.map((resource) => resource.Primary_Role__c))).toEqual(new Set(ROLES));
    const capacities = new Set(resources.map((resource) => resource.Weekly_Capacity_Hours__c));
    expect([...capacities].filter((hours) => hours < 40).length).toBeGreaterThanOrEqual(2);
    expect(resources.filter((resource) => resource.Active_From__c > small.today)).toHaveLength(3);
    expect(resources.filter((resource) => resource.Active_To__c)).toHaveLength(3);
    expect(resources.every((resource) => resource.Skills__c.split(';').length >= 1)).toBe(true);
    // Part-timers work set weekdays: 20 h Tuesday to Thursday, 24 h Monday to Wednesday, 30 h Monday to Thursday.
    const patterns = resources.filter((resource) => resource.Working_Days__c);
    expect(patterns.length).toBeGreaterThanOrEqual(2);
    expect(patterns.every((resource) => resource.Weekly_Capacity_Hours__c < 40)).toBe(true);
    expect(resources.filter((resource) => resource.Weekly_Capacity_Hours__c < 40 && !resource.Working_Days__c)).toEqual(
      []
    );
  });

  it('names resources so that SOQL ORDER BY Name and a code-unit sort agree (assign-resources.apex)', () => {
    const names = small.records.Resource__c.map((resource) => resource.Name);
    expect(names.every((name) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(name))).toBe(true);
    const firsts = [...new Set(names.map((name) => name.split(' ')[0]))];
    expect(firsts.filter((first) => firsts.some((other) => other !== first && other.startsWith(first)))).toEqual([]);
    const codeUnits = [...names].sort();
    expect([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }))).toEqual(codeUnits);
    expect([...names].sort((a, b) => a.localeCompare(b, 'en', { ignorePunctuation: true }))).toEqual(codeUnits);
  });

  it('names holidays "[Location] Name" or, firm-wide, without a prefix', () => {
    const prefixes = new Set(records.Holiday.map((holiday) => /^\[([^\]]+)\] /.exec(holiday.Name)?.[1] ?? ''));
    expect(prefixes).toEqual(new Set(['London', 'New York', 'Berlin', '']));
    expect(records.Holiday.every((holiday) => holiday.IsAllDay && holiday.Name.length <= 80)).toBe(true);
  });

  it('time off lies inside the resource’s active period', () => {
    const byRef = new Map(records.Resource__c.map((resource) => [`@${resource.referenceId}`, resource]));
    for (const entry of records.Time_Off__c) {
      const resource = byRef.get(entry.Resource__c)!;
      expect(entry.Start_Date__c <= entry.End_Date__c).toBe(true);
      expect(entry.Start_Date__c >= resource.Active_From__c).toBe(true);
      expect(!resource.Active_To__c || entry.End_Date__c <= resource.Active_To__c).toBe(true);
    }
  });
});

describe('generateFirm: the planted shortages and the assignments', () => {
  const demands = demandsOf(small.records);
  const confirmed = weeklyDemand(demands, small.today, { confirmedOnly: true });

  it('Data Engineers and Trainers are over-demanded in weeks 3-8 by won deals alone; no other role is', () => {
    expect(small.plantedShortages.map((shortage) => shortage.role)).toEqual(['Data Engineer', 'Trainer']);
    const short: string[] = [];
    for (const role of ROLES) {
      for (let week = 3; week <= 8; week++) {
        const demand = confirmed.get(role)?.get(week) ?? 0;
        if (demand > weeklyCapacity(small.records.Resource__c, small.today, role, week)) short.push(`${role} ${week}`);
      }
    }
    const planted = small.plantedShortages.flatMap((shortage) =>
      [3, 4, 5, 6, 7, 8].map((week) => `${shortage.role} ${week}`)
    );
    expect(short.sort()).toEqual(planted.sort());
  });

  it('books won demand only, by role, within capacity and the active period', () => {
    const { records, assignments } = small;
    const won = new Set(
      records.Opportunity.filter((o) => o.StageName === 'Closed Won').map((o) => `@${o.referenceId}`)
    );
    const resources = new Map(records.Resource__c.map((resource) => [`@${resource.referenceId}`, resource]));
    expect(assignments.length).toBe(demands.filter((demand) => demand.status === 'Active').length);
    for (const assignment of assignments) {
      const resource = resources.get(assignment.resourceRef)!;
      expect(won.has(assignment.opportunityRef)).toBe(true);
      expect(resource.Primary_Role__c).toBe(assignment.role);
      expect(assignment.hoursPerWeek).toBeGreaterThan(0);
      expect(assignment.hoursPerWeek).toBeLessThanOrEqual(resource.Weekly_Capacity_Hours__c);
      expect(resource.Active_From__c <= assignment.startDate).toBe(true);
      expect(assignment.bookingType).toBe('Hard');
    }
    const trainerWeek3 = assignments.find(
      (a) => a.role === 'Trainer' && a.startDate === addDays(mondayOf(small.today), 21)
    );
    expect(trainerWeek3?.hoursPerWeek).toBe(40); // 96 h in one week, capped at a full-time trainer's 40
  });
});

describe('the sample data and the package metadata', () => {
  const schema = loadSchema(ROOT);

  it('writes only createable fields the schema knows, with valid picklist values and text lengths', () => {
    const problems: string[] = [];
    for (const sobject of SOBJECTS) {
      for (const record of small.records[sobject] as FirmRecord[]) {
        for (const [name, value] of fieldsOf(record)) {
          const field = schema.field(sobject, name);
          const where = `${sobject}.${name} (${record.referenceId})`;
          if (!field) problems.push(`${where}: no such field`);
          else if (!field.createable) problems.push(`${where}: not createable`);
          else if (field.picklistValues && typeof value === 'string') {
            const values = field.type === 'MultiselectPicklist' ? value.split(';') : [value];
            const bad = values.filter((item) => !field.picklistValues!.includes(item));
            if (bad.length) problems.push(`${where}: not a picklist value: ${bad.join(', ')}`);
          } else if (field.length && typeof value === 'string' && value.length > field.length) {
            problems.push(`${where}: longer than ${field.length}`);
          }
        }
        for (const field of schema.object(sobject)?.fields ?? []) {
          const given = field.name in record;
          const defaulted = field.type === 'Checkbox' || field.defaultValue !== undefined || field.name === 'Name';
          if (field.required && field.createable && !given && !defaulted) {
            problems.push(`${sobject}.${field.name} (${record.referenceId}): required, not given`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('models the demand templates of force-app/main/lifecycle/customMetadata', () => {
    const dir = path.join(ROOT, 'force-app/main/lifecycle/customMetadata');
    const value = (xml: string, field: string) =>
      new RegExp(`<field>${field}</field>\\s*<value[^>]*>([^<]*)</value>`).exec(xml)?.[1];
    const deployed = fs
      .readdirSync(dir)
      .filter((file) => file.startsWith('Handoff_Demand_Template.'))
      .map((file) => fs.readFileSync(path.join(dir, file), 'utf8'))
      .filter((xml) => value(xml, 'Active__c') === 'true')
      .map((xml) => ({
        code: value(xml, 'Product_Code__c'),
        role: value(xml, 'Role__c'),
        skill: value(xml, 'Skill__c'),
        hoursPerUnit: Number(value(xml, 'Hours_Per_Unit__c')),
        durationWeeks: Number(value(xml, 'Duration_Weeks__c')),
        startOffsetWeeks: Number(value(xml, 'Start_Offset_Weeks__c') ?? 0),
        scaleDuration: value(xml, 'Scale_Duration__c') === 'true'
      }));
    const modelled = Object.values(PRODUCTS).flatMap((product) =>
      product.templates.map((template) => ({ code: product.code, skill: undefined, ...template }))
    );
    const key = (t: { code?: string; role?: string }) => `${t.code}:${t.role}`;
    expect([...deployed].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...modelled].sort((a, b) => key(a).localeCompare(key(b)))
    );
  });
});

describe('scripts/data/sample', () => {
  it('is what `npm run data:sample` writes today (plan.json and one file per object)', () => {
    const expected = samplePlanFiles(small);
    const onDisk = fs.existsSync(SAMPLE_DIR) ? fs.readdirSync(SAMPLE_DIR).filter((name) => name.endsWith('.json')) : [];
    const stale = [
      ...expected.filter((file) => !onDisk.includes(file.name) || read(file.name) !== file.content).map((f) => f.name),
      ...onDisk.filter((name) => !expected.some((file) => file.name === name))
    ];
    if (stale.length > 0) {
      throw new Error(
        `scripts/data/sample is out of date (${stale.join(', ')}): run \`npm run data:sample\` and commit the result`
      );
    }
  });

  it('names its files in the plan, accounts split parents first', () => {
    const plan = JSON.parse(read('plan.json')) as { sobject: string; files: string[] }[];
    expect(plan.map((step) => step.sobject)).toEqual([...SOBJECTS]);
    expect(plan[0].files).toEqual(['Account-parents.json', 'Account-children.json']);
    const children = JSON.parse(read('Account-children.json')) as { records: { ParentId?: string }[] };
    expect(children.records.every((record) => record.ParentId)).toBe(true);
  });
});

describe('generateFirm: the large firm (benchmarks)', () => {
  let large: DemoFirm;
  it('has 2,000 resources, 3,000 open and about 800 won deals, a year of assignments', () => {
    const started = performance.now();
    large = generateFirm({ size: 'large' });
    const ms = performance.now() - started;
    const { records } = large;
    const open = records.Opportunity.filter((o) => (OPEN_STAGES as readonly Stage[]).includes(o.StageName));
    const won = records.Opportunity.filter((o) => o.StageName === 'Closed Won');
    console.log(
      `large demo firm: ${ms.toFixed(0)} ms; ${records.Resource__c.length} resources, ${open.length} open and ` +
        `${won.length} won opportunities, ${records.OpportunityLineItem.length} line items, ` +
        `${large.assignments.length} assignments`
    );
    expect(records.Resource__c).toHaveLength(2000);
    expect(open).toHaveLength(3000);
    expect(won).toHaveLength(800);
    expect(new Set(records.Resource__c.map((resource) => resource.Primary_Role__c)).size).toBe(ROLES.length);
    const starts = large.assignments.map((assignment) => assignment.startDate).sort();
    expect(starts[starts.length - 1] > addDays(starts[0], 300)).toBe(true);
  });
});

function read(name: string): string {
  return fs.readFileSync(path.join(SAMPLE_DIR, name), 'utf8');
}
