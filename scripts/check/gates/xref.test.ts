import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorsOf } from '../gate';
import { CLASSES, FIXTURES, LWC, plantedProject } from '../fixtures';
import { xrefGate } from './xref';

const META = `<?xml version="1.0" encoding="UTF-8" ?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;
const CLEAN_COMPONENT = fs.readFileSync(path.join(FIXTURES, 'clean', LWC, 'widgetCard', 'widgetCard.js'), 'utf8');
const COMPONENT = `${LWC}/widgetCard/widgetCard.js`;

async function errorsAfter(plant: Parameters<typeof plantedProject>[0]) {
  const project = plantedProject(plant);
  try {
    return errorsOf(await xrefGate.run({ root: project.root }));
  } finally {
    project.dispose();
  }
}

const apexClass = (name: string, body: string) => (write: (file: string, text: string) => void) => {
  write(`${CLASSES}/${name}.cls`, body);
  write(`${CLASSES}/${name}.cls-meta.xml`, META);
};

describe('xref gate', () => {
  it('passes the clean fixture and counts what it checked', async () => {
    const result = await xrefGate.run({ root: path.join(FIXTURES, 'clean') });
    expect(errorsOf(result)).toEqual([]);
    expect(result.checked).toMatch(/^1 SOQL queries, 2 LWC imports/);
  });

  it('reports unknown fields in the select list, WHERE, ORDER BY, relationships and subqueries, each on its line', async () => {
    const errors = await errorsAfter(
      apexClass(
        'Queries',
        [
          'public with sharing class Queries {',
          '  public static void run(Set<Id> ids) {',
          '    List<Widget__c> widgets = [',
          '      SELECT Id, Colour__c, Account__r.Nmae',
          '      FROM Widget__c',
          "      WHERE Weight__c > 3 AND Name LIKE 'a%'",
          '      WITH USER_MODE',
          '      ORDER BY Height__c',
          '      LIMIT :ids.size()',
          '    ];',
          '    // [SELECT Bogus__c FROM Widget__c] in a comment is not a query',
          '    List<Account> accounts = [SELECT Id, (SELECT Id FROM Gadgets__r), (SELECT Id, Sise__c FROM Widgets__r) FROM Account WITH USER_MODE];',
          '  }',
          '}',
          ''
        ].join('\n')
      )
    );
    expect(errors.map((error) => `${error.line} ${error.message}`).sort()).toEqual(
      [
        '4 SELECT: no field Colour__c on Widget__c (Widget__c.Colour__c)',
        '4 SELECT: no field Nmae on Account (Widget__c.Account__r.Nmae)',
        '6 WHERE: no field Weight__c on Widget__c (Widget__c.Weight__c)',
        '8 ORDER BY: no field Height__c on Widget__c (Widget__c.Height__c)',
        '12 no child relationship Gadgets__r on Account',
        '12 SELECT: no field Sise__c on Widget__c (Widget__c.Sise__c)'
      ].sort()
    );
    expect(errors.every((error) => error.file === `${CLASSES}/Queries.cls`)).toBe(true);
  });

  it('reports an LWC schema import of a field that does not exist', async () => {
    const errors = await errorsAfter((write) =>
      write(COMPONENT, CLEAN_COMPONENT.replace('Widget__c.Size__c', 'Widget__c.Weight__c'))
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file: COMPONENT,
        line: 3,
        rule: 'xref:lwc-schema',
        message: expect.stringMatching(/no field Weight__c on Widget__c/)
      })
    ]);
  });

  it('reports an LWC apex import of a missing, non-static or non-@AuraEnabled method', async () => {
    const service = fs.readFileSync(path.join(FIXTURES, 'clean', CLASSES, 'WidgetService.cls'), 'utf8');
    const cases: [string, string, RegExp][] = [
      ['WidgetService.smallWidgets', service, /has no method smallWidgets/],
      ['WidgetService.largeWidgets', service.replace('public static', 'public'), /must be static/],
      ['WidgetService.largeWidgets', service.replace('@AuraEnabled(cacheable=true)', ''), /must be @AuraEnabled/],
      ['GadgetService.largeWidgets', service, /no Apex class GadgetService/]
    ];
    for (const [reference, classSource, expected] of cases) {
      const errors = await errorsAfter((write) => {
        write(COMPONENT, CLEAN_COMPONENT.replace('WidgetService.largeWidgets', reference));
        write(`${CLASSES}/WidgetService.cls`, classSource);
      });
      expect(errors).toEqual([
        expect.objectContaining({
          file: COMPONENT,
          line: 2,
          rule: 'xref:lwc-apex',
          message: expect.stringMatching(expected)
        })
      ]);
    }
  });

  it('reports permission sets naming unknown fields and classes', async () => {
    const file = 'force-app/main/default/permissionsets/Widgets.permissionset-meta.xml';
    const errors = await errorsAfter((write) =>
      write(
        file,
        `<?xml version="1.0" encoding="UTF-8" ?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Widgets</label>
    <classAccesses>
        <apexClass>WidgetServce</apexClass>
        <enabled>true</enabled>
    </classAccesses>
    <fieldPermissions>
        <editable>false</editable>
        <field>Widget__c.Weight__c</field>
        <readable>true</readable>
    </fieldPermissions>
</PermissionSet>
`
      )
    );
    expect(errors.map((error) => [error.file, error.line, error.message])).toEqual([
      [file, 8, 'field permission for unknown field Widget__c.Weight__c'],
      [file, 4, 'class access for unknown Apex class WidgetServce']
    ]);
  });
  it('reports report types and reports a deploy would reject: unknown fields, a report type named without __c, columns the type does not offer', async () => {
    const type = 'force-app/main/default/reportTypes/Widgets.reportType-meta.xml';
    const good = 'force-app/main/default/reports/Widget_Reports/Good.report-meta.xml';
    const bad = 'force-app/main/default/reports/Widget_Reports/Bad.report-meta.xml';
    const column = (field: string) =>
      `        <columns>\n            <checkedByDefault>true</checkedByDefault>\n            <field>${field}</field>\n            <table>Widget__c</table>\n        </columns>\n`;
    const reportXml = (reportType: string, fields: string[]) =>
      `<?xml version="1.0" encoding="UTF-8" ?>\n<Report xmlns="http://soap.sforce.com/2006/04/metadata">\n${fields
        .map((field) => `    <columns>\n        <field>${field}</field>\n    </columns>\n`)
        .join(
          ''
        )}    <format>Tabular</format>\n    <name>R</name>\n    <reportType>${reportType}</reportType>\n</Report>\n`;
    const errors = await errorsAfter((write) => {
      write(
        type,
        `<?xml version="1.0" encoding="UTF-8" ?>\n<ReportType xmlns="http://soap.sforce.com/2006/04/metadata">\n    <baseObject>Widget__c</baseObject>\n    <sections>\n${column('Name')}${column('Heigth__c')}        <masterLabel>Widgets</masterLabel>\n    </sections>\n</ReportType>\n`
      );
      write(good, reportXml('Widgets__c', ['Widget__c$Name']));
      write(bad, reportXml('Widgets', ['Widget__c$Name']));
      write(bad.replace('Bad', 'Column'), reportXml('Widgets__c', ['Widget__c$Name', 'Widget__c$Height__c']));
    });
    expect(errors.map((error) => [error.file, error.line, error.message])).toEqual([
      [type, 10, 'Widget__c has no field Heigth__c'],
      [bad, 8, 'report type Widgets is not a report type of the package (a custom report type is named Widgets__c)'],
      [bad.replace('Bad', 'Column'), 7, 'Widget__c$Height__c is not a column of report type Widgets__c']
    ]);
  });
  it('reports an aggregate query with a LIMIT but no GROUP BY, which does not compile', async () => {
    const errors = await errorsAfter(
      apexClass(
        'Spans',
        [
          'public with sharing class Spans {',
          '  public static void run() {',
          '    List<AggregateResult> ok = [SELECT MAX(Size__c) biggest FROM Widget__c WITH USER_MODE];',
          '    Integer count = [SELECT COUNT() FROM Widget__c WITH USER_MODE LIMIT 1];',
          '    List<AggregateResult> bad = [',
          '      SELECT MIN(Size__c) smallest FROM Widget__c WITH USER_MODE',
          '      LIMIT 1',
          '    ];',
          '  }',
          '}',
          ''
        ].join('\n')
      )
    );
    expect(errors.map((error) => `${error.line} ${error.message}`)).toEqual([
      '7 an aggregate query without GROUP BY cannot take a LIMIT'
    ]);
  });
});
