import * as path from 'node:path';
import { errorsOf } from '../gate';
import { FIXTURES, LWC, plantedProject } from '../fixtures';
import { eslintGate } from './eslint';
import { tscGate } from './tsc';

jest.setTimeout(60_000);

async function errorsAfter(gate: typeof eslintGate, plant: Parameters<typeof plantedProject>[0]) {
  const project = plantedProject(plant);
  try {
    return errorsOf(await gate.run({ root: project.root }));
  } finally {
    project.dispose();
  }
}

describe('eslint gate', () => {
  it('passes the clean fixture', async () => {
    const result = await eslintGate.run({ root: path.join(FIXTURES, 'clean') });
    expect(errorsOf(result)).toEqual([]);
    expect(result.checked).not.toBe('0 files');
  });

  it('reports an LWC rule violation with file and line', async () => {
    const component = `${LWC}/widgetCard/widgetCard.js`;
    const errors = await errorsAfter(eslintGate, (write) =>
      write(
        component,
        [
          "import { LightningElement, api } from 'lwc';",
          '',
          'export default class WidgetCard extends LightningElement {',
          '  @api minimum = 10;',
          '',
          '  connectedCallback() {',
          '    this.minimum = 20;',
          '  }',
          '}',
          ''
        ].join('\n')
      )
    );
    expect(errors).toEqual([
      expect.objectContaining({ file: component, line: 7, rule: 'eslint:@lwc/lwc/no-api-reassignments' })
    ]);
  });

  it('reports a TypeScript lint error in services code', async () => {
    const errors = await errorsAfter(eslintGate, (write) =>
      write(
        'services/demo/src/index.ts',
        'export function parse(input: string): any {\n  return JSON.parse(input);\n}\n'
      )
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'services/demo/src/index.ts',
        line: 1,
        rule: 'eslint:@typescript-eslint/no-explicit-any'
      })
    ]);
  });
});

describe('tsc gate', () => {
  it('passes the clean fixture', async () => {
    const result = await tscGate.run({ root: path.join(FIXTURES, 'clean') });
    expect(errorsOf(result)).toEqual([]);
    expect(result.checked).toBe('1 files');
  });

  it('reports a type error with file and line', async () => {
    const errors = await errorsAfter(tscGate, (write) =>
      write('src/capacity.ts', "export function weeklyCapacity(hours: number): number {\n  return hours + 'h';\n}\n")
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'src/capacity.ts',
        line: 2,
        rule: 'tsc:TS2322',
        message: expect.stringMatching(/not assignable to type 'number'/)
      })
    ]);
  });
});
