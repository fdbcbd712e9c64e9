import * as path from 'node:path';
import { errorsOf } from '../gate';
import { FIXTURES, plantedProject } from '../fixtures';
import { projectGate } from './project';

const SCRATCH = 'config/project-scratch-def.json';

async function errorsAfter(plant: Parameters<typeof plantedProject>[0]) {
  const project = plantedProject(plant);
  try {
    return errorsOf(await projectGate.run({ root: project.root }));
  } finally {
    project.dispose();
  }
}

const project = (directory: string, extra = '') => `{
  "packageDirectories": [
    ${directory}
  ],${extra}
  "name": "fixture",
  "sourceApiVersion": "66.0"
}
`;

const scratch = (body: string) => `{
  "orgName": "Widgets",
  "edition": "Developer",
${body}
}
`;

describe('project gate', () => {
  it('passes the clean fixture, checking sfdx-project.json and the scratch definition', async () => {
    const result = await projectGate.run({ root: path.join(FIXTURES, 'clean') });
    expect(result).toEqual({ findings: [], checked: '2 files' });
  });

  it('accepts an unlocked package definition', async () => {
    const errors = await errorsAfter((write) =>
      write(
        'sfdx-project.json',
        project(
          '{ "path": "force-app", "default": true, "package": "Widgets", "versionName": "Spring", "versionNumber": "0.1.0.NEXT" }',
          '\n  "packageAliases": { "Widgets": "0Ho000000000000AAA" },'
        )
      )
    );
    expect(errors).toEqual([]);
  });

  it('reports an unknown property of sfdx-project.json on its line', async () => {
    const errors = await errorsAfter((write) =>
      write('sfdx-project.json', project('{ "path": "force-app", "default": true }', '\n  "sourceApiVerison": "66.0",'))
    );
    expect(errors).toEqual([
      {
        file: 'sfdx-project.json',
        line: 5,
        message: 'unknown property "sourceApiVerison" at /',
        rule: 'project:schema',
        severity: 'error'
      }
    ]);
  });

  it('reports a value of the wrong type inside a package directory, from the branch it was meant for', async () => {
    const errors = await errorsAfter((write) =>
      write('sfdx-project.json', project('{ "path": "force-app", "default": "yes" }'))
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'sfdx-project.json',
        line: 3,
        message: '/packageDirectories/0/default must be boolean',
        rule: 'project:schema'
      })
    ]);
  });

  it('reports a scratch definition property of the wrong type and an unknown edition', async () => {
    const errors = await errorsAfter((write) =>
      write(SCRATCH, scratch('  "hasSampleData": "yes"').replace('"Developer"', '"Developers"'))
    );
    expect(errors.map((error) => [error.file, error.line, error.message])).toEqual([
      [SCRATCH, 3, expect.stringMatching(/^\/edition must be one of "Developer", "Enterprise"/)],
      [SCRATCH, 4, '/hasSampleData must be boolean']
    ]);
  });

  it('checks scratch org settings against the Metadata API Settings types', async () => {
    const errors = await errorsAfter((write) =>
      write(
        SCRATCH,
        scratch(`  "settings": {
    "lightningExperienceSettings": {
      "enableS1DesktopEnabld": true
    },
    "opportunitySettings": {
      "enableOpportunityTeam": "yes"
    },
    "opportunitySetings": {}
  }`)
      )
    );
    expect(errors.map((error) => [error.line, error.rule, error.message])).toEqual([
      [
        6,
        'project:settings',
        'settings.lightningExperienceSettings has no setting "enableS1DesktopEnabld" (LightningExperienceSettings)'
      ],
      [9, 'project:settings', 'settings.opportunitySettings.enableOpportunityTeam must be true or false'],
      [
        11,
        'project:settings',
        expect.stringMatching(/^settings.opportunitySetings is not a Metadata API Settings type/)
      ]
    ]);
  });

  it('reports a file that is not JSON with its line', async () => {
    const errors = await errorsAfter((write) => write(SCRATCH, '{\n  "edition": "Developer",\n}\n'));
    expect(errors).toEqual([expect.objectContaining({ file: SCRATCH, line: 3, rule: 'project:json' })]);
  });
});
