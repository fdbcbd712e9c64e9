import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorsOf, type GateResult } from '../gate';
import { createPmdGate, pmdGate } from './pmd';

// PMD runs in a JVM that takes a few seconds to start, once per gate run.
jest.setTimeout(120_000);

const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', 'pmd', name);
const CLASSES = 'force-app/main/default/classes';
const CUSTOM_RULES = ['pmd:LimitsReadAfterStopTest', 'pmd:LimitedOperationInLoop', 'pmd:MixedSObjectListDml'];

function lineOf(root: string, file: string, line: number): string {
  return fs.readFileSync(path.join(root, file), 'utf8').split('\n')[line - 1];
}

function gateTempFolders(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('pmd-gate-'));
}

describe('pmdGate', () => {
  const tempBefore = gateTempFolders();

  afterAll(() => {
    expect(gateTempFolders()).toEqual(tempBefore);
  });

  it('reports a planted SOQL injection as an error at its file and line', async () => {
    const root = fixture('high');
    const result = await pmdGate.run({ root });

    expect(result.checked).toMatch(/^1 Apex files, \d+ rules$/);
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({
        file: `${CLASSES}/AccountSearch.cls`,
        line: 4,
        rule: 'pmd:ApexSOQLInjection',
        severity: 'error'
      })
    ]);
    expect(lineOf(root, `${CLASSES}/AccountSearch.cls`, 4)).toContain('Database.query(soql)');
  });

  it('passes a clean class with no findings at all', async () => {
    const result = await pmdGate.run({ root: fixture('clean') });

    expect(result.findings).toEqual([]);
    expect(result.checked).toMatch(/^1 Apex files, \d+ rules$/);
  });

  it("honours @SuppressWarnings('PMD.ApexSOQLInjection')", async () => {
    const result = await pmdGate.run({ root: fixture('suppressed') });

    expect(result.findings.filter((finding) => finding.rule === 'pmd:ApexSOQLInjection')).toEqual([]);
    expect(errorsOf(result)).toEqual([]);
  });

  it('lists a low-severity issue as a warning, not an error', async () => {
    const result = await pmdGate.run({ root: fixture('low') });

    expect(errorsOf(result)).toEqual([]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        file: `${CLASSES}/DebugLog.cls`,
        line: 3,
        rule: 'pmd:AvoidDebugStatements',
        severity: 'warning'
      })
    ]);
  });

  it('fails on SOQL inside a loop, raised from Moderate by the gate', async () => {
    const result = await pmdGate.run({ root: fixture('loop') });

    expect(errorsOf(result)).toEqual([
      expect.objectContaining({
        file: `${CLASSES}/ContactLoader.cls`,
        line: 5,
        rule: 'pmd:OperationWithLimitsInLoop'
      })
    ]);
  });

  describe("the project's own rules (scripts/check/pmd/handoff-ruleset.xml)", () => {
    const root = fixture('traps');
    let result: GateResult;
    const custom = (file: string) =>
      result.findings
        .filter((finding) => finding.file === `${CLASSES}/${file}` && CUSTOM_RULES.includes(finding.rule ?? ''))
        .map((finding) => [finding.line, finding.rule, finding.severity]);

    beforeAll(async () => {
      result = await pmdGate.run({ root });
    });

    it('fails on Limits read after Test.stopTest(), and passes it read before', () => {
      expect(custom('LimitsPlantedTest.cls')).toEqual([[8, 'pmd:LimitsReadAfterStopTest', 'error']]);
      expect(lineOf(root, `${CLASSES}/LimitsPlantedTest.cls`, 8)).toContain('Limits.getQueries()');
      expect(custom('LimitsCleanTest.cls')).toEqual([]);
    });

    it('fails on a notification sent through a helper and a publish inside loops, and passes them collected', () => {
      expect(custom('NotifierPlanted.cls')).toEqual([
        [4, 'pmd:LimitedOperationInLoop', 'error'],
        [11, 'pmd:LimitedOperationInLoop', 'error']
      ]);
      expect(lineOf(root, `${CLASSES}/NotifierPlanted.cls`, 4)).toContain('deliver(typeId');
      expect(lineOf(root, `${CLASSES}/NotifierPlanted.cls`, 11)).toContain('EventBus.publish');
      expect(custom('NotifierClean.cls')).toEqual([]);
    });

    it('fails on DML of a List<SObject> filled with alternating types in a loop, and passes one type per loop', () => {
      expect(custom('CleanupPlanted.cls')).toEqual([[8, 'pmd:MixedSObjectListDml', 'error']]);
      expect(lineOf(root, `${CLASSES}/CleanupPlanted.cls`, 8)).toContain('delete as user removals');
      expect(custom('CleanupClean.cls')).toEqual([]);
    });

    it('reports nothing else as an error in the clean classes', () => {
      const clean = ['LimitsCleanTest.cls', 'NotifierClean.cls', 'CleanupClean.cls'].map(
        (file) => `${CLASSES}/${file}`
      );
      expect(errorsOf(result).filter((finding) => clean.includes(finding.file))).toEqual([]);
    });
  });

  it('checks nothing when the project has no Apex', async () => {
    await expect(pmdGate.run({ root: fixture('none') })).resolves.toEqual({ findings: [], checked: '0 Apex files' });
  });

  it('reports a class PMD cannot parse as an error instead of passing it', async () => {
    // Built in a temp folder so the committed fixtures stay valid Apex.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pmd-test-'));
    try {
      fs.copyFileSync(path.join(fixture('none'), 'sfdx-project.json'), path.join(root, 'sfdx-project.json'));
      fs.mkdirSync(path.join(root, CLASSES), { recursive: true });
      fs.writeFileSync(
        path.join(root, CLASSES, 'Broken.cls'),
        'public with sharing class Broken {\n    public static Integer twice(Integer value {\n        return value * 2;\n    }\n}\n'
      );

      const result = await pmdGate.run({ root });

      expect(errorsOf(result)).toEqual([
        expect.objectContaining({ file: `${CLASSES}/Broken.cls`, line: 2, rule: 'pmd:ProcessingError' })
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('throws when the engine cannot start', async () => {
    const gate = createPmdGate({ javaCommand: path.join(os.tmpdir(), 'no-such-java') });

    await expect(gate.run({ root: fixture('high') })).rejects.toThrow(/PMD engine unavailable.*java/s);
  });
});
