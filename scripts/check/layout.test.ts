import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { features, layoutProblems } from './layout';

const ROOT = path.resolve(__dirname, '..', '..');

/** A small project folded by feature; `plant` adds or moves files before the check runs. */
function project(files: Record<string, string>): { root: string; dispose: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-layout-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('sfdx-project.json', JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }));
  const clean: Record<string, string> = {
    'force-app/main/billing/classes/Invoice.cls': 'public class Invoice {}',
    'force-app/main/billing/classes/InvoiceTest.cls': '@IsTest private class InvoiceTest {}',
    'force-app/main/billing/objects/Invoice__c/Invoice__c.object-meta.xml': '<CustomObject/>',
    'force-app/main/billing/objects/Invoice__c/fields/Amount__c.field-meta.xml': '<CustomField/>',
    'force-app/main/billing/objects/Opportunity/fields/Invoiced__c.field-meta.xml': '<CustomField/>',
    'force-app/main/billing/layouts/Invoice__c-Invoice Layout.layout-meta.xml': '<Layout/>',
    'force-app/main/billing/tabs/Invoice__c.tab-meta.xml': '<CustomTab/>',
    'force-app/test/jest-utils/dom.js': ''
  };
  for (const [file, text] of Object.entries({ ...clean, ...files })) write(file, text);
  return { root, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}

function problemsOf(files: Record<string, string>) {
  const fixture = project(files);
  try {
    return layoutProblems(fixture.root);
  } finally {
    fixture.dispose();
  }
}

describe('force-app folded by feature', () => {
  it('holds for the package', () => {
    expect(layoutProblems(ROOT)).toEqual([]);
    expect(features(ROOT)).toEqual(['alerts', 'billing', 'capacity', 'handoff', 'integration', 'lifecycle', 'shared']);
  });

  it('passes a clean folded project', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('reports a file left outside a feature', () => {
    expect(problemsOf({ 'force-app/main/default/classes/Loose.cls': 'public class Loose {}' })).toEqual([
      { file: 'force-app/main/default/classes/Loose.cls', message: expect.stringContaining('not in a feature folder') }
    ]);
  });

  it('reports a test class away from the class it tests', () => {
    expect(
      problemsOf({ 'force-app/main/shared/classes/InvoiceTest.cls': '@IsTest private class InvoiceTest {}' })
    ).toEqual([
      {
        file: 'force-app/main/shared/classes/InvoiceTest.cls',
        message: expect.stringContaining('tests Invoice, which lives in feature "billing"')
      }
    ]);
  });

  it('reports an object part, layout or tab away from its object', () => {
    const problems = problemsOf({
      'force-app/main/shared/objects/Invoice__c/fields/Paid__c.field-meta.xml': '<CustomField/>',
      'force-app/main/shared/layouts/Invoice__c-Other Layout.layout-meta.xml': '<Layout/>',
      'force-app/main/shared/objects/Opportunity/fields/Paid__c.field-meta.xml': '<CustomField/>'
    });
    expect(problems.map((problem) => problem.file)).toEqual([
      'force-app/main/shared/layouts/Invoice__c-Other Layout.layout-meta.xml',
      'force-app/main/shared/objects/Invoice__c/fields/Paid__c.field-meta.xml',
      'force-app/main/shared/objects/Opportunity/fields/Paid__c.field-meta.xml'
    ]);
    expect(problems.every((problem) => problem.message.includes('feature "billing"'))).toBe(true);
  });

  it('reports an object defined in two features', () => {
    expect(
      problemsOf({ 'force-app/main/shared/objects/Invoice__c/Invoice__c.object-meta.xml': '<CustomObject/>' })
    ).toEqual([
      {
        file: 'force-app/main/shared/objects/Invoice__c/Invoice__c.object-meta.xml',
        message: expect.stringContaining('also defined in feature "billing"')
      }
    ]);
  });
});
