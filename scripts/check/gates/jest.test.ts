import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorsOf } from '../gate';
import { FIXTURES, LWC, plantedProject } from '../fixtures';
import { lwcJestGate, nodeJestGate } from './jest';

jest.setTimeout(120_000);

async function errorsAfter(gate: typeof lwcJestGate, plant: Parameters<typeof plantedProject>[0]) {
  const project = plantedProject(plant);
  try {
    return errorsOf(await gate.run({ root: project.root }));
  } finally {
    project.dispose();
  }
}

const TEMPLATE = `${LWC}/widgetCard/widgetCard.html`;
const LWC_TEST = `${LWC}/widgetCard/__tests__/widgetCard.test.js`;

describe('LWC jest gate', () => {
  it('passes the clean fixture', async () => {
    const result = await lwcJestGate.run({ root: path.join(FIXTURES, 'clean') });
    expect(errorsOf(result)).toEqual([]);
    expect(result.checked).toBe('1 suites, 1 tests');
  });

  it('reports a failing component test at the failing line', async () => {
    const errors = await errorsAfter(lwcJestGate, (write) =>
      write(TEMPLATE, '<template>\n  <p class="count">{count} gadgets</p>\n</template>\n')
    );
    const testSource = fs.readFileSync(path.join(FIXTURES, 'clean', LWC_TEST), 'utf8').split('\n');
    const assertionLine = testSource.findIndex((line) => line.includes("toBe('2 widgets')")) + 1;
    expect(errors).toEqual([
      expect.objectContaining({
        file: LWC_TEST,
        line: assertionLine,
        message: expect.stringMatching(/counts the widgets/)
      })
    ]);
  });

  it('reports an accessibility violation found by @sa11y/jest', async () => {
    const errors = await errorsAfter(lwcJestGate, (write) =>
      write(TEMPLATE, '<template>\n  <p class="count">{count} widgets</p>\n  <img src="widget.png" />\n</template>\n')
    );
    const testSource = fs.readFileSync(path.join(FIXTURES, 'clean', LWC_TEST), 'utf8').split('\n');
    const a11yLine = testSource.findIndex((line) => line.includes('toBeAccessible')) + 1;
    expect(errors).toEqual([expect.objectContaining({ file: LWC_TEST, line: a11yLine })]);
    expect(errors[0]!.message).toMatch(/image-alt|alternat/i);
  });
});

describe('services jest gate', () => {
  it('passes the clean fixture', async () => {
    const result = await nodeJestGate.run({ root: path.join(FIXTURES, 'clean') });
    expect(errorsOf(result)).toEqual([]);
    expect(result.checked).toBe('1 suites, 2 tests');
  });

  it('reports each failing unit test at its failing line', async () => {
    const errors = await errorsAfter(nodeJestGate, (write) => {
      write(
        'src/capacity.ts',
        'export function weeklyCapacity(hoursPerWeek: number, weeks: number): number {\n  return hoursPerWeek * weeks + 1;\n}\n'
      );
    });
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'src/capacity.test.ts',
        line: 5,
        message: expect.stringMatching(/multiplies hours by weeks/)
      }),
      expect.objectContaining({
        file: 'src/capacity.test.ts',
        line: 9,
        message: expect.stringMatching(/refuses negative hours/)
      })
    ]);
  });
});
