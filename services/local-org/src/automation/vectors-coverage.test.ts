import * as fs from 'node:fs';
import * as path from 'node:path';
import { childrenNamed, readXmlFile, textOf } from '@handoff/schema';
import { readVectors, unexercisedMappings, VECTORS_FILE, type MappingRecord } from './vectors';

const METADATA = path.resolve(__dirname, '../../../../force-app/main/lifecycle/customMetadata');

/** The active field mappings the package deploys (customMetadata/Handoff_Field_Mapping.*.md-meta.xml). */
function deployedMappings(): MappingRecord[] {
  return fs
    .readdirSync(METADATA)
    .filter((file) => file.startsWith('Handoff_Field_Mapping.') && file.endsWith('.md-meta.xml'))
    .map((file) => {
      const values = new Map(
        childrenNamed(readXmlFile(path.join(METADATA, file)), 'values').map((value) => [
          textOf(value, 'field'),
          textOf(value, 'value')
        ])
      );
      return {
        developerName: file.slice('Handoff_Field_Mapping.'.length, -'.md-meta.xml'.length),
        sourceField: values.get('Source_Field__c') ?? '',
        targetField: values.get('Target_Field__c') ?? '',
        active: values.get('Active__c') === 'true'
      };
    })
    .filter((mapping) => mapping.active);
}

describe('lifecycle vectors cover the deployed field mappings', () => {
  const document = readVectors(VECTORS_FILE);
  const mappings = deployedMappings();

  it('finds the deployed mappings', () => {
    expect(mappings.length).toBeGreaterThanOrEqual(9);
    expect(mappings.every((mapping) => mapping.sourceField && mapping.targetField)).toBe(true);
  });

  it('exercises every deployed mapping in at least one vector', () => {
    expect(unexercisedMappings(document, mappings)).toEqual([]);
  });

  it('reports a mapping no vector sets, pins or declares', () => {
    const practice = mappings.find((mapping) => mapping.targetField === 'Practice__c')!;
    const planted = structuredClone(document);
    for (const vector of planted.cases) {
      for (const step of vector.steps) delete step.fields?.Practice__c;
      for (const engagement of vector.expect.engagements) delete engagement.Practice__c;
    }
    planted.rules.Handoff_Field_Mapping__mdt = planted.rules.Handoff_Field_Mapping__mdt!.filter(
      (record) => record.Target_Field__c !== 'Practice__c'
    );
    expect(unexercisedMappings(planted, [practice])).toEqual([
      expect.stringMatching(/Practice .*: not in the vectors' rules$/),
      expect.stringMatching(/Practice .*: no deal step sets Opportunity\.Practice__c$/),
      expect.stringMatching(/Practice .*: no expectation pins Engagement__c\.Practice__c$/)
    ]);
  });

  it('reports a deployed mapping the vectors do not know', () => {
    const extra: MappingRecord = { developerName: 'Next_Step', sourceField: 'NextStep', targetField: 'Cost_Center__c' };
    expect(unexercisedMappings(document, [extra])).toHaveLength(3);
  });
});
