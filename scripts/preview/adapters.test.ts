import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalOrg } from '@handoff/local-org';
import { APEX_METHODS, AuraHandledError, soqlString } from './adapters';
import { spread, weeksBetween, workingDays } from './weeks';
import { listFiles } from '../check/paths';

const FORCE_APP = path.resolve(__dirname, '..', '..', 'force-app');
const noOrg = {} as LocalOrg;

describe('preview adapters', () => {
  it('answer every @salesforce/apex import of the components', () => {
    const imported = listFiles(FORCE_APP, (name) => name.endsWith('.js'))
      .filter((file) => file.includes(`${path.sep}lwc${path.sep}`) && !file.includes('__tests__'))
      .flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/@salesforce\/apex\/(\w+\.\w+)/g)])
      .map((match) => match[1]);
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((method) => !APEX_METHODS.has(method!))).toEqual([]);
  });

  it('refuse parameters Apex would refuse, before any query', () => {
    const getOutlook = APEX_METHODS.get('DeliveryOutlookController.getOutlook')!;
    expect(() => getOutlook(noOrg, { opportunityId: "006' OR Name != '" })).toThrow(
      new AuraHandledError("Value provided is invalid for action parameter 'opportunityId' of type 'Id'")
    );
    const getHeatmap = APEX_METHODS.get('CapacityHeatmapController.getHeatmap')!;
    expect(() => getHeatmap(noOrg, { dimension: 'Account' })).toThrow('Unknown heatmap dimension "Account"');
  });

  it('quote text as a SOQL literal', () => {
    expect(soqlString("O'Brien \\ Co")).toBe("'O\\'Brien \\\\ Co'");
  });

  it('spread hours over working days as HandoffWeeks does', () => {
    // Wednesday to the next Tuesday: 3 working days in the first week, 2 in the second.
    expect(Object.fromEntries(spread(50, '2026-11-25', '2026-12-01'))).toEqual({ '2026-11-23': 30, '2026-11-30': 20 });
    expect(Object.fromEntries(spread(8, '2026-11-28', '2026-11-29'))).toEqual({ '2026-11-23': 8 });
    expect(workingDays('2026-11-23', '2026-12-06')).toBe(10);
    expect(weeksBetween('2026-11-23', '2026-12-07')).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
  });
});
