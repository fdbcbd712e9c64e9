import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorsOf, type GateResult } from '../gate';
import { createPmdGate } from './pmd';

// PMD runs in a JVM that takes a few seconds to start, once per gate run.
jest.setTimeout(120_000);

const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', 'pmd', name);
const CLASSES = 'force-app/main/default/classes';
const CUSTOM_RULES = [
  'pmd:LimitsReadAfterStopTest',
  'pmd:LimitedOperationInLoop',
  'pmd:MixedSObjectListDml',
  'pmd:StopTestWithoutCalloutMock'
];

function lineOf(root: string, file: string, line: number): string {
  return fs.readFileSync(path.join(root, file), 'utf8').split('\n')[line - 1];
}

describe('pmdGate', () => {
  // The gate's working folders go to a folder of this test's own: other processes on the machine make and remove
  // `pmd-gate-*` folders in os.tmpdir() at any time, so only this folder says what these runs left behind.
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pmd-test-runs-'));
  const pmdGate = createPmdGate({ tempRoot });

  afterAll(() => {
    try {
      expect(fs.readdirSync(tempRoot)).toEqual([]);
    } finally {
      fs.rmSync(tempRoot, { recursive: true, force: true });
    }
  });

  it('works in a pmd-gate-* folder under its temp root and removes it when done', async () => {
    // runPmd makes its working folder before its first await, so the folder exists once run() has returned.
    const running = pmdGate.run({ root: fixture('clean') });
    expect(fs.readdirSync(tempRoot)).toEqual([expect.stringMatching(/^pmd-gate-/)]);
    await running;
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });

  it('reports a planted SOQL injection as an error at its file and line', async () => {
    const root = fixture('high');
    const result = await pmdGate.run({ root });

    expect(result.checked).toMatch(/^1 Apex files, \d+ rules$/);
    // The project's DynamicQueryInjection and PMD's own rule both check a class that is not asynchronous (sorted by column).
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({
        file: `${CLASSES}/AccountSearch.cls`,
        line: 4,
        rule: 'pmd:DynamicQueryInjection',
        severity: 'error'
      }),
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

  it("honours @SuppressWarnings('PMD.ApexSOQLInjection, PMD.DynamicQueryInjection')", async () => {
    const result = await pmdGate.run({ root: fixture('suppressed') });

    expect(
      result.findings.filter((finding) =>
        ['pmd:ApexSOQLInjection', 'pmd:DynamicQueryInjection'].includes(finding.rule ?? '')
      )
    ).toEqual([]);
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

    it('fails on Test.stopTest() after DML with no callout mock, and passes with a mock or without DML', () => {
      expect(custom('StopTestPlantedTest.cls')).toEqual([[7, 'pmd:StopTestWithoutCalloutMock', 'error']]);
      expect(lineOf(root, `${CLASSES}/StopTestPlantedTest.cls`, 7)).toContain('Test.stopTest()');
      expect(custom('StopTestCleanTest.cls')).toEqual([]);
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

  describe('dynamic SOQL and SOSL in asynchronous Apex (DynamicQueryInjection)', () => {
    const root = fixture('async');
    let result: GateResult;
    const injections = (file: string) =>
      result.findings
        .filter((finding) => finding.file === `${CLASSES}/${file}` && finding.rule === 'pmd:DynamicQueryInjection')
        .map((finding) => [finding.line, finding.severity]);

    beforeAll(async () => {
      result = await pmdGate.run({ root });
    });

    it('fails on a Queueable concatenating its job state into Database.query', () => {
      expect(injections('ForecastRequestPlanted.cls')).toEqual([[9, 'error']]);
      expect(lineOf(root, `${CLASSES}/ForecastRequestPlanted.cls`, 9)).toContain("Name = \\'' + teamName + '\\''");
    });

    it('fails on getQueryLocator in a Batchable, Search.query, and countQueryWithBinds in a Schedulable', () => {
      expect(injections('RegionSweepPlanted.cls')).toEqual([
        [11, 'error'],
        [15, 'error'],
        [24, 'error']
      ]);
      expect(lineOf(root, `${CLASSES}/RegionSweepPlanted.cls`, 11)).toContain('Database.getQueryLocator(soql)');
      expect(lineOf(root, `${CLASSES}/RegionSweepPlanted.cls`, 15)).toContain('Search.query(');
      expect(lineOf(root, `${CLASSES}/RegionSweepPlanted.cls`, 24)).toContain('Database.countQueryWithBinds(');
    });

    it('fails on a Finalizer joining caller-given field names into the select list', () => {
      expect(injections('FieldSyncFinalizerPlanted.cls')).toEqual([[12, 'error']]);
      expect(lineOf(root, `${CLASSES}/FieldSyncFinalizerPlanted.cls`, 12)).toContain('Database.query(soql)');
    });

    it('fails in a test class too', () => {
      expect(injections('ReportQueryPlantedTest.cls')).toEqual([[4, 'error']]);
    });

    it('passes constants, bind variables, queryWithBinds, escaped values, and a describe-checked list suppressed', () => {
      for (const file of ['ForecastRequestClean.cls', 'FieldSyncFinalizerChecked.cls']) {
        expect(errorsOf(result).filter((finding) => finding.file === `${CLASSES}/${file}`)).toEqual([]);
      }
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
    const gate = createPmdGate({ javaCommand: path.join(os.tmpdir(), 'no-such-java'), tempRoot });

    await expect(gate.run({ root: fixture('high') })).rejects.toThrow(/PMD engine unavailable.*java/s);
  });
});
