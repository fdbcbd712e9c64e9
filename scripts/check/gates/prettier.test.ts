import * as path from 'node:path';
import { errorsOf } from '../gate';
import { CLASSES, FIXTURES, plantedProject } from '../fixtures';
import { prettierGate } from './prettier';

// The gate runs prettier in a Node process: a generous timeout, whatever else the machine runs.
jest.setTimeout(120_000);

async function errorsAfter(plant: Parameters<typeof plantedProject>[0]) {
  const project = plantedProject(plant);
  try {
    return errorsOf(await prettierGate.run({ root: project.root }));
  } finally {
    project.dispose();
  }
}

const CLASS = `${CLASSES}/Broken.cls`;

describe('prettier gate', () => {
  it('passes the clean fixture, Apex included', async () => {
    const result = await prettierGate.run({ root: path.join(FIXTURES, 'clean') });
    expect(errorsOf(result)).toEqual([]);
    expect(result.checked).toMatch(/\(1 Apex\)/);
  });

  it('reports an Apex syntax error with its line', async () => {
    const errors = await errorsAfter((write) =>
      write(CLASS, 'public with sharing class Broken {\n  public void run() {\n    Integer x = (1 + 2;\n  }\n}\n')
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file: CLASS,
        line: 3,
        rule: 'prettier:syntax',
        message: expect.stringMatching(/Missing '\)'/)
      })
    ]);
  });

  it('reports unformatted Apex at the first line that differs', async () => {
    const errors = await errorsAfter((write) =>
      write(CLASS, 'public with sharing class Broken {\n  public void run() {\n    Integer x   =  1;\n  }\n}\n')
    );
    expect(errors).toEqual([expect.objectContaining({ file: CLASS, line: 3, rule: 'prettier:format' })]);
  });
});
