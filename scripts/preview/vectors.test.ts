import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { APEX_METHODS, type ApexMethod } from './adapters';
import { compare, controllerVectorFiles, readControllerVectors, runControllerCase } from './vectors';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const FILES = controllerVectorFiles();

let org: LocalOrg;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-controller-vectors-'));
  // The Apex test bypasses the lifecycle automation: the case's records are the whole org.
  org = await createLocalOrg({ projectRoot: ROOT, dataDir, customPermissions: ['Handoff_Bypass_Automation'] });
});
afterAll(async () => {
  await org.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('finds the controller vectors files', () => {
  expect(FILES.map((file) => path.basename(file))).toContain('EngagementSummaryControllerVectors.json');
});

describe.each(FILES.map((file) => [path.basename(file, '.json'), file]))('%s against the preview twin', (_, file) => {
  const vectors = readControllerVectors(file);
  for (const vector of vectors.cases) {
    // runAs cases are Apex-only: the local org has one admin user and enforces no sharing or field access.
    (vector.runAs ? it.skip : it)(vector.name, () => {
      const outcome = runControllerCase(org, vectors, vector);
      expect(outcome.differences).toEqual([]);
    });
  }
});

describe('the comparison (ControllerVectors.compare)', () => {
  it('compares objects as subsets, numbers by value, null as missing', () => {
    expect(compare({ a: 1, b: null }, { a: 1.0, c: 'extra' })).toEqual([]);
    expect(compare({ a: 1 }, { a: 2 })).toEqual(['result.a: expected 1, got 2']);
    expect(compare({ a: 'x' }, {})).toEqual(['result.a: expected "x", got null']);
  });

  it('compares lists in order unless unordered or contains', () => {
    expect(compare([1, 2], [2, 1])).toHaveLength(2);
    expect(compare([1], [1, 2])).toEqual(['result: expected 1 items, got [1,2]']);
    expect(compare({ unordered: [{ n: 1 }, { n: 2 }] }, [{ n: 2 }, { n: 1 }])).toEqual([]);
    expect(compare({ unordered: [{ n: 1 }, { n: 1 }] }, [{ n: 1 }, { n: 2 }])).toEqual([
      'result: no item matches {"n":1}'
    ]);
    expect(compare({ contains: ['Developer'] }, ['Architect', 'Developer', 'Trainer'])).toEqual([]);
    expect(compare({ contains: ['Designer'] }, ['Architect'])).toEqual(['result: no item matches "Designer"']);
  });

  it('compares decimals within a tolerance and presence', () => {
    expect(compare({ approx: 33.33, within: 0.01 }, 33.333)).toEqual([]);
    expect(compare({ approx: 33.33, within: 0.001 }, 33.34)).toHaveLength(1);
    expect(compare({ present: true }, 'x')).toEqual([]);
    expect(compare({ present: true }, null)).toEqual(['result: expected a value, got null']);
  });
});

describe('a twin that drifts from its controller', () => {
  it('fails its vectors when one field of the result changes', () => {
    const file = FILES.find((candidate) => candidate.endsWith('EngagementSummaryControllerVectors.json'))!;
    const vectors = readControllerVectors(file);
    const honest = APEX_METHODS.get('EngagementSummaryController.getSummary')!;
    const drifted: ApexMethod = (localOrg, params) => {
      const summary = honest(localOrg, params) as Record<string, unknown> | null;
      return summary && { ...summary, opportunityStage: summary.status };
    };
    const methods = new Map(APEX_METHODS).set('EngagementSummaryController.getSummary', drifted);
    const outcome = runControllerCase(org, vectors, vectors.cases[0]!, methods);
    expect(outcome.differences).toEqual(['result.opportunityStage: expected "Proposal/Price Quote", got "Pipeline"']);
  });
});
