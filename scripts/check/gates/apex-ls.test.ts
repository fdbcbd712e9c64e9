import * as path from 'node:path';
import { errorsOf } from '../gate';
import { CLASSES, FIXTURES, plantedProject } from '../fixtures';
import { apexLsGate } from './apex-ls';

jest.setTimeout(120_000);

const CLASS = `${CLASSES}/Broken.cls`;
const META = `<?xml version="1.0" encoding="UTF-8" ?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;

describe('apex-ls gate', () => {
  it('passes the clean fixture', async () => {
    expect(errorsOf(await apexLsGate.run({ root: path.join(FIXTURES, 'clean') }))).toEqual([]);
  });

  it('reports unknown fields, objects and methods and type errors with file and line', async () => {
    const project = plantedProject((write) => {
      write(
        CLASS,
        [
          'public with sharing class Broken {',
          '  public static void run() {',
          "    Widget__c widget = new Widget__c(Colour__c = 'red');",
          '    List<Gadget__c> gadgets = [SELECT Id FROM Gadget__c];',
          "    Integer size = 'large';",
          '    WidgetService.smallWidgets(1);',
          '  }',
          '}',
          ''
        ].join('\n')
      );
      write(`${CLASS}-meta.xml`, META);
    });
    try {
      const errors = errorsOf(await apexLsGate.run({ root: project.root }));
      const byLine = (line: number) => errors.filter((error) => error.file === CLASS && error.line === line);
      expect(byLine(3)).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/Unknown field 'Colour__c'/) })
      ]);
      expect(
        byLine(4)
          .map((error) => error.message)
          .join('\n')
      ).toMatch(/Gadget__c/);
      expect(byLine(5)).toEqual([expect.objectContaining({ message: expect.stringMatching(/Incompatible types/) })]);
      expect(byLine(6)).toEqual([expect.objectContaining({ message: expect.stringMatching(/smallWidgets/) })]);
    } finally {
      project.dispose();
    }
  });
});
