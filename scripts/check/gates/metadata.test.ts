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

  it('reports an unknown field type on the line of <type>, from the FieldType enumeration', async () => {
    const errors = await errorsAfter((write) => write(FIELD, field('    <type>Txt</type>\n    <length>20</length>')));
    expect(errors).toEqual([
      expect.objectContaining({
        file: FIELD,
        line: 5,
        rule: 'metadata:value',
        message: expect.stringMatching(/^CustomField.type is "Txt", not a FieldType: expected one of .*\bText\b/)
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
      [6, 'unknown element <precison> in CustomField'],
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

  it("reports a duplicate rule shipped active, and one taking the standard rule's sort order", async () => {
    const rule = 'force-app/main/default/duplicateRules/Account.Clients.duplicateRule-meta.xml';
    const errors = await errorsAfter((write) =>
      write(
        rule,
        `<?xml version="1.0" encoding="UTF-8" ?>
<DuplicateRule xmlns="http://soap.sforce.com/2006/04/metadata">
    <actionOnInsert>Allow</actionOnInsert>
    <actionOnUpdate>Allow</actionOnUpdate>
    <isActive>true</isActive>
    <masterLabel>Clients</masterLabel>
    <operationsOnInsert>Alert</operationsOnInsert>
    <operationsOnUpdate>Report</operationsOnUpdate>
    <securityOption>BypassSharingRules</securityOption>
    <sortOrder>1</sortOrder>
</DuplicateRule>
`
      )
    );
    expect(errors.map((error) => [error.line, error.rule])).toEqual([
      [5, 'metadata:duplicate-rule'],
      [10, 'metadata:duplicate-rule']
    ]);
  });

  describe('against the Metadata API types of @salesforce/types', () => {
    it('reports an element nested in the wrong type, checked against that nested type', async () => {
      // <active> belongs to the lookup filter, not to its filter items.
      const errors = await errorsAfter((write) =>
        write(
          FIELD,
          field(`    <type>Lookup</type>
    <referenceTo>Account</referenceTo>
    <relationshipName>Colours</relationshipName>
    <lookupFilter>
        <filterItems>
            <field>Account.Type</field>
            <operation>equals</operation>
            <value>Customer</value>
            <active>true</active>
        </filterItems>
        <isOptional>false</isOptional>
    </lookupFilter>`)
        )
      );
      expect(errors).toEqual([
        expect.objectContaining({
          file: FIELD,
          line: 13,
          rule: 'metadata:unknown-element',
          message: 'unknown element <active> in CustomField.lookupFilter.filterItems (FilterItem)'
        }),
        expect.objectContaining({
          file: FIELD,
          line: 8,
          rule: 'metadata:required',
          message: 'CustomField.lookupFilter (LookupFilter) has no <active>, which the Metadata API requires'
        })
      ]);
    });

    it('reports a value outside its enumeration and a boolean or number that is not one', async () => {
      const errors = await errorsAfter((write) =>
        write(
          FIELD,
          field(`    <type>Number</type>
    <precision>eight</precision>
    <scale>0</scale>
    <externalId>yes</externalId>
    <securityClassification>Internal</securityClassification>
    <formulaTreatBlanksAs>Zero</formulaTreatBlanksAs>`)
        )
      );
      expect(errors.map((error) => [error.line, error.rule, error.message])).toEqual([
        [6, 'metadata:value', 'CustomField.precision is "eight", not a number'],
        [8, 'metadata:value', 'CustomField.externalId is "yes", not true or false'],
        [
          10,
          'metadata:value',
          'CustomField.formulaTreatBlanksAs is "Zero", not a TreatBlanksAs: expected one of BlankAsBlank, BlankAsZero'
        ]
      ]);
    });

    it('reports a missing required element and a single element given twice', async () => {
      const rule = `${WIDGET}/validationRules/Size_Positive.validationRule-meta.xml`;
      const errors = await errorsAfter((write) =>
        write(
          rule,
          `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Size_Positive</fullName>
    <active>true</active>
    <active>false</active>
    <errorConditionFormula>Size__c &lt; 0</errorConditionFormula>
</ValidationRule>
`
        )
      );
      expect(errors.map((error) => [error.file, error.line, error.rule, error.message])).toEqual([
        [
          rule,
          5,
          'metadata:repeated',
          '<active> appears more than once in ValidationRule; ValidationRule.active is a single value'
        ],
        [rule, 2, 'metadata:required', 'ValidationRule has no <errorMessage>, which the Metadata API requires']
      ]);
    });

    it('checks custom metadata record values by their xsi:type', async () => {
      const record = 'force-app/main/default/customMetadata/Widget_Rule.Default.md-meta.xml';
      const values = (flag: string) => `<?xml version="1.0" encoding="UTF-8"?>
<CustomMetadata xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
    <label>Default</label>
    <protected>false</protected>
    <values>
        <field>Enabled__c</field>
        <value xsi:type="xsd:boolean">${flag}</value>
    </values>
    <values>
        <field>Note__c</field>
        <value xsi:nil="true"/>
    </values>
</CustomMetadata>
`;
      expect(await errorsAfter((write) => write(record, values('true')))).toEqual([]);
      expect(await errorsAfter((write) => write(record, values('yes')))).toEqual([
        expect.objectContaining({
          file: record,
          line: 7,
          rule: 'metadata:value',
          message: 'CustomMetadata.values.value is "yes", not true or false'
        })
      ]);
    });

    it('reports text where a type needs nested elements, and nested elements where it needs text', async () => {
      const bundle = 'force-app/main/default/lwc/widgetCard/widgetCard.js-meta.xml';
      const meta = (body: string) => `<?xml version="1.0" encoding="UTF-8" ?>
<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <isExposed>true</isExposed>
${body}
</LightningComponentBundle>
`;
      // targetConfigs is typed as text in the WSDL but holds the component's configuration XML: accepted.
      const configured = meta(`    <targets>
        <target>lightning__RecordPage</target>
    </targets>
    <targetConfigs>
        <targetConfig targets="lightning__RecordPage">
            <objects><object>Widget__c</object></objects>
        </targetConfig>
    </targetConfigs>`);
      expect(await errorsAfter((write) => write(bundle, configured))).toEqual([]);
      const errors = await errorsAfter((write) =>
        write(
          bundle,
          meta('    <targets>lightning__RecordPage</targets>\n    <masterLabel><en>Widget</en></masterLabel>')
        )
      );
      expect(errors.map((error) => [error.line, error.rule, error.message])).toEqual([
        [
          5,
          'metadata:nesting',
          'LightningComponentBundle.targets is a Targets and needs nested elements, not the text "lightning__RecordPage"'
        ],
        [6, 'metadata:nesting', 'LightningComponentBundle.masterLabel holds a string, not nested elements like <en>']
      ]);
    });
  });

  it('reports text longer than a deploy accepts, naming the element and the limit', async () => {
    const description = 'Reads engagements. '.repeat(14);
    const errors = await errorsAfter((write) => {
      write(
        'force-app/main/default/permissionsets/Widgets.permissionset-meta.xml',
        `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <description>${description}</description>
    <label>Widgets</label>
</PermissionSet>
`
      );
      write(
        FIELD,
        field('    <type>Text</type>\n    <length>20</length>').replace(
          '<label>Colour</label>',
          `<label>${'C'.repeat(41)}</label>`
        )
      );
    });
    expect(errors).toEqual([
      expect.objectContaining({
        file: FIELD,
        line: 4,
        rule: 'metadata:length',
        message: '<label> of CustomField has 41 characters; a deploy accepts at most 40'
      }),
      expect.objectContaining({
        file: 'force-app/main/default/permissionsets/Widgets.permissionset-meta.xml',
        line: 3,
        rule: 'metadata:length',
        message: `<description> of PermissionSet has ${description.trim().length} characters; a deploy accepts at most 255`
      })
    ]);
    expect(description.length).toBeGreaterThan(255);
  });
});
