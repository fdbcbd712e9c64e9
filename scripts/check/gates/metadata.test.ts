import * as path from 'node:path';
import { errorsOf } from '../gate';
import { CLASSES, FIXTURES, plantedProject, WIDGET } from '../fixtures';
import { metadataGate } from './metadata';

const FIELD = `${WIDGET}/fields/Colour__c.field-meta.xml`;
const field = (body: string) => `<?xml version="1.0" encoding="UTF-8" ?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Colour__c</fullName>
    <label>Colour</label>
${body}
</CustomField>
`;

async function errorsAfter(plant: Parameters<typeof plantedProject>[0]) {
  const project = plantedProject(plant);
  try {
    return errorsOf(await metadataGate.run({ root: project.root }));
  } finally {
    project.dispose();
  }
}

describe('metadata gate', () => {
  it('passes the clean fixture', async () => {
    const result = await metadataGate.run({ root: path.join(FIXTURES, 'clean') });
    expect(errorsOf(result)).toEqual([]);
    expect(result.checked).toMatch(/^\d+ XML files/);
  });

  it('reports a mismatched closing tag with file and line', async () => {
    const errors = await errorsAfter((write) => write(FIELD, field('    <type>Text</type>\n    <length>20</lenght>')));
    expect(errors).toEqual([
      expect.objectContaining({
        file: FIELD,
        line: 6,
        rule: 'metadata:well-formed',
        message: expect.stringMatching(/lenght/)
      })
    ]);
  });

  it('reports an unknown field type on the line of <type>', async () => {
    const errors = await errorsAfter((write) => write(FIELD, field('    <type>Txt</type>\n    <length>20</length>')));
    expect(errors).toEqual([
      expect.objectContaining({
        file: FIELD,
        line: 5,
        rule: 'metadata:field-type',
        message: expect.stringMatching(/"Txt"/)
      })
    ]);
  });

  it('reports an Apex class without its -meta.xml', async () => {
    const errors = await errorsAfter((_write, remove) => remove(`${CLASSES}/WidgetService.cls-meta.xml`));
    expect(errors).toEqual([
      expect.objectContaining({ file: `${CLASSES}/WidgetService.cls`, rule: 'metadata:pairing' })
    ]);
  });

  it('reports a misspelt field element and a missing required element', async () => {
    const errors = await errorsAfter((write) =>
      write(FIELD, field('    <type>Number</type>\n    <precison>8</precison>'))
    );
    expect(errors.map((error) => [error.line, error.message])).toEqual([
      [6, 'unknown element <precison> in field Colour__c'],
      [5, 'Number field Colour__c needs <precision>'],
      [5, 'Number field Colour__c needs <scale>']
    ]);
  });

  it('reports a fullName that does not match the file, and a wrong root element', async () => {
    const errors = await errorsAfter((write) => {
      write(FIELD, field('    <type>Checkbox</type>').replace('<fullName>Colour__c', '<fullName>Color__c'));
      write(
        `${CLASSES}/WidgetService.cls-meta.xml`,
        '<?xml version="1.0"?>\n<ApexTrigger xmlns="http://soap.sforce.com/2006/04/metadata"/>\n'
      );
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: FIELD,
          line: 3,
          message: expect.stringMatching(/does not match the file name/)
        }),
        expect.objectContaining({ file: `${CLASSES}/WidgetService.cls-meta.xml`, line: 2, rule: 'metadata:root' })
      ])
    );
  });

  it('reports a picklist bound to a global value set that does not exist', async () => {
    const errors = await errorsAfter((write) =>
      write(
        FIELD,
        field(
          '    <type>Picklist</type>\n    <valueSet>\n        <valueSetName>Colours</valueSetName>\n    </valueSet>'
        )
      )
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file: FIELD,
        line: 6,
        message: expect.stringMatching(/unknown global value set "Colours"/)
      })
    ]);
  });

  it('reports a metadata file outside the folder of its type', async () => {
    const layout = `${WIDGET}/layouts/Widget__c-Widget Layout.layout-meta.xml`;
    const errors = await errorsAfter((write) =>
      write(
        layout,
        '<?xml version="1.0" encoding="UTF-8"?>\n<Layout xmlns="http://soap.sforce.com/2006/04/metadata"/>\n'
      )
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file: layout,
        rule: 'metadata:folder',
        message: '.layout-meta.xml files belong in layouts/'
      })
    ]);
  });
});
