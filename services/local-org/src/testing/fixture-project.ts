import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const OBJECTS = 'force-app/main/default/objects';
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

const field = (name: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField ${NS}>\n<fullName>${name}</fullName>\n<label>${name.replace(/__c$/, '').replace(/_/g, ' ')}</label>\n${body}\n</CustomField>\n`;

const object = (label: string, plural: string, nameField: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject ${NS}><label>${label}</label><pluralLabel>${plural}</pluralLabel>${nameField}</CustomObject>\n`;

const values = (names: string[], defaultValue?: string) =>
  names
    .map(
      (name) =>
        `<value><fullName>${name}</fullName><default>${name === defaultValue}</default><label>${name}</label></value>`
    )
    .join('');

/**
 * A small SFDX project with the kinds of metadata the local org must honour: external ids (case-insensitive and
 * case-sensitive), a required restricted picklist with a default, a multi-select picklist, numbers with scale, a
 * formula, roll-up summaries (SUM, filtered COUNT) and a formula over them, validation rules (one inactive), lookups
 * with Restrict and SetNull delete rules, a master-detail child with an auto-number name, custom metadata with a
 * record, and a platform event. Tests use it instead of force-app, which keeps changing.
 */
export const FIXTURE_FILES: Record<string, string> = {
  'sfdx-project.json': JSON.stringify({
    packageDirectories: [{ path: 'force-app', default: true }],
    sourceApiVersion: '66.0'
  }),
  [`${OBJECTS}/Account/fields/External_Key__c.field-meta.xml`]: field(
    'External_Key__c',
    '<type>Text</type><length>40</length><externalId>true</externalId><unique>true</unique>'
  ),
  [`${OBJECTS}/Project__c/Project__c.object-meta.xml`]: object(
    'Project',
    'Projects',
    '<nameField><label>Project Name</label><type>Text</type></nameField>'
  ),
  [`${OBJECTS}/Project__c/fields/Project_Key__c.field-meta.xml`]: field(
    'Project_Key__c',
    '<type>Text</type><length>20</length><externalId>true</externalId><unique>true</unique>'
  ),
  [`${OBJECTS}/Project__c/fields/Code__c.field-meta.xml`]: field(
    'Code__c',
    '<type>Text</type><length>10</length><unique>true</unique><caseSensitive>true</caseSensitive><externalId>true</externalId>'
  ),
  [`${OBJECTS}/Project__c/fields/Stage__c.field-meta.xml`]: field(
    'Stage__c',
    `<type>Picklist</type><required>true</required><valueSet><restricted>true</restricted><valueSetDefinition><sorted>false</sorted>${values(['Planned', 'Active', 'Done'], 'Planned')}</valueSetDefinition></valueSet>`
  ),
  [`${OBJECTS}/Project__c/fields/Tags__c.field-meta.xml`]: field(
    'Tags__c',
    `<type>MultiselectPicklist</type><visibleLines>3</visibleLines><valueSet><restricted>true</restricted><valueSetDefinition>${values(['Red', 'Green', 'Blue'])}</valueSetDefinition></valueSet>`
  ),
  [`${OBJECTS}/Project__c/fields/Budget__c.field-meta.xml`]: field(
    'Budget__c',
    '<type>Currency</type><precision>8</precision><scale>2</scale>'
  ),
  [`${OBJECTS}/Project__c/fields/Hours__c.field-meta.xml`]: field(
    'Hours__c',
    '<type>Number</type><precision>8</precision><scale>0</scale>'
  ),
  [`${OBJECTS}/Project__c/fields/Start__c.field-meta.xml`]: field('Start__c', '<type>Date</type>'),
  [`${OBJECTS}/Project__c/fields/Kickoff__c.field-meta.xml`]: field('Kickoff__c', '<type>DateTime</type>'),
  [`${OBJECTS}/Project__c/fields/Billable__c.field-meta.xml`]: field(
    'Billable__c',
    '<type>Checkbox</type><defaultValue>false</defaultValue>'
  ),
  [`${OBJECTS}/Project__c/fields/Contact_Email__c.field-meta.xml`]: field('Contact_Email__c', '<type>Email</type>'),
  [`${OBJECTS}/Project__c/fields/Margin__c.field-meta.xml`]: field(
    'Margin__c',
    '<type>Percent</type><precision>5</precision><scale>2</scale><formula>0.3</formula>'
  ),
  [`${OBJECTS}/Project__c/fields/Task_Hours__c.field-meta.xml`]: field(
    'Task_Hours__c',
    '<summaryForeignKey>Task__c.Project__c</summaryForeignKey><summaryOperation>sum</summaryOperation><summarizedField>Task__c.Hours__c</summarizedField><type>Summary</type>'
  ),
  [`${OBJECTS}/Project__c/fields/Open_Tasks__c.field-meta.xml`]: field(
    'Open_Tasks__c',
    '<summaryFilterItems><field>Task__c.Done__c</field><operation>equals</operation><value>false</value></summaryFilterItems><summaryForeignKey>Task__c.Project__c</summaryForeignKey><summaryOperation>count</summaryOperation><type>Summary</type>'
  ),
  [`${OBJECTS}/Project__c/fields/Cost_Per_Hour__c.field-meta.xml`]: field(
    'Cost_Per_Hour__c',
    '<formula>IF(Task_Hours__c &gt; 0, Budget__c / Task_Hours__c, NULL)</formula><precision>10</precision><scale>2</scale><type>Currency</type>'
  ),
  [`${OBJECTS}/Project__c/validationRules/Project_Budget_Not_Negative.validationRule-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule ${NS}><fullName>Project_Budget_Not_Negative</fullName><active>true</active>
<errorConditionFormula>Budget__c &lt; 0</errorConditionFormula><errorDisplayField>Budget__c</errorDisplayField>
<errorMessage>Budget cannot be negative.</errorMessage></ValidationRule>
`,
  [`${OBJECTS}/Project__c/validationRules/Project_Start_Kept_Once_Active.validationRule-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule ${NS}><fullName>Project_Start_Kept_Once_Active</fullName><active>true</active>
<errorConditionFormula>AND(NOT(ISNEW()), ISPICKVAL(PRIORVALUE(Stage__c), "Active"), ISCHANGED(Start__c), NOT($Permission.Project_Admin))</errorConditionFormula>
<errorMessage>The start of an active project cannot move.</errorMessage></ValidationRule>
`,
  [`${OBJECTS}/Project__c/validationRules/Project_Inactive_Rule.validationRule-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule ${NS}><fullName>Project_Inactive_Rule</fullName><active>false</active>
<errorConditionFormula>TRUE</errorConditionFormula><errorMessage>Inactive rules never run.</errorMessage></ValidationRule>
`,
  [`${OBJECTS}/Project__c/fields/Account__c.field-meta.xml`]: field(
    'Account__c',
    '<type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Projects</relationshipName><deleteConstraint>Restrict</deleteConstraint>'
  ),
  [`${OBJECTS}/Task__c/Task__c.object-meta.xml`]: object(
    'Task',
    'Tasks',
    '<nameField><label>Task Number</label><type>AutoNumber</type><displayFormat>T-{0000}</displayFormat></nameField>'
  ),
  [`${OBJECTS}/Task__c/fields/Project__c.field-meta.xml`]: field(
    'Project__c',
    '<type>MasterDetail</type><referenceTo>Project__c</referenceTo><relationshipName>Tasks</relationshipName>'
  ),
  [`${OBJECTS}/Task__c/fields/Hours__c.field-meta.xml`]: field(
    'Hours__c',
    '<type>Number</type><precision>6</precision><scale>1</scale>'
  ),
  [`${OBJECTS}/Task__c/fields/Done__c.field-meta.xml`]: field(
    'Done__c',
    '<type>Checkbox</type><defaultValue>false</defaultValue>'
  ),
  [`${OBJECTS}/Note__c/Note__c.object-meta.xml`]: object(
    'Note',
    'Notes',
    '<nameField><label>Title</label><type>Text</type></nameField>'
  ),
  [`${OBJECTS}/Note__c/fields/Project__c.field-meta.xml`]: field(
    'Project__c',
    '<type>Lookup</type><referenceTo>Project__c</referenceTo><relationshipName>Notes</relationshipName><deleteConstraint>SetNull</deleteConstraint>'
  ),
  [`${OBJECTS}/Rule__mdt/Rule__mdt.object-meta.xml`]: object('Rule', 'Rules', ''),
  [`${OBJECTS}/Rule__mdt/fields/Stage__c.field-meta.xml`]: field('Stage__c', '<type>Text</type><length>40</length>'),
  [`${OBJECTS}/Rule__mdt/fields/Active__c.field-meta.xml`]: field(
    'Active__c',
    '<type>Checkbox</type><defaultValue>false</defaultValue>'
  ),
  'force-app/main/default/customMetadata/Rule.Default.md-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<CustomMetadata ${NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
<label>Default rule</label><protected>false</protected>
<values><field>Stage__c</field><value xsi:type="xsd:string">Proposal/Price Quote</value></values>
<values><field>Active__c</field><value xsi:type="xsd:boolean">true</value></values>
</CustomMetadata>
`,
  [`${OBJECTS}/Deal_Event__e/Deal_Event__e.object-meta.xml`]: object('Deal Event', 'Deal Events', ''),
  [`${OBJECTS}/Deal_Event__e/fields/Amount__c.field-meta.xml`]: field(
    'Amount__c',
    '<type>Number</type><precision>18</precision><scale>2</scale>'
  )
};

/** Writes the fixture project to a new temporary folder and returns its path. */
export function writeFixtureProject(extra: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-org-project-'));
  for (const [file, text] of Object.entries({ ...FIXTURE_FILES, ...extra })) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}
