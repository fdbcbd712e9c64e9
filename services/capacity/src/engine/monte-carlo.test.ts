import { forecast } from './forecast';
import { cell, input, line, person } from './fixtures';
import { spreadDemand } from './demand';
import { Horizon } from './horizon';
import { monteCarlo, quantile } from './monte-carlo';
import type { DemandInput } from './types';

/** 40 open deals of varied probability, each with a developer and a trainer line, plus confirmed work. */
function pipelineFirm() {
  const demand: DemandInput[] = [line('confirmed', { hours: 200, end: '2026-02-27' })];
  for (let deal = 0; deal < 40; deal++) {
    const probability = 10 + ((deal * 37) % 81);
    const start = `2026-01-${String(5 + (deal % 3) * 7).padStart(2, '0')}`;
    demand.push(
      line(`dev-${deal}`, {
        opportunityId: `deal-${deal}`,
        layer: 'pipeline',
        probability,
        hours: 30 + (deal % 5) * 10,
        start,
        end: '2026-02-13'
      }),
      line(`trn-${deal}`, {
        opportunityId: `deal-${deal}`,
        layer: 'pipeline',
        probability,
        role: 'Trainer',
        hours: 16,
        start,
        end: '2026-01-30'
      })
    );
  }
  return input({ resources: [person('a'), person('b'), person('t', 'Trainer')], demand });
}

describe('Monte Carlo over pipeline outcomes', () => {
  it('has a mean that matches the weighted layer (fixed seed)', async () => {
    const result = await forecast(pipelineFirm(), { trials: 4000, seed: 7 });
    const mc = result.monteCarlo!;
    for (let index = 0; index < result.grids.weighted.length; index++) {
      const expected = result.grids.weighted[index]!;
      // Tolerance: 5% of the pipeline exposure of the cell, well above the standard error of 4,000 trials.
      const spread = result.grids.exposure[index]! - result.grids.confirmed[index]!;
      expect(Math.abs(mc.mean[index]! - expected)).toBeLessThanOrEqual(0.05 * spread + 1e-9);
    }
    // Bands are ordered and bracket the mean where there is pipeline.
    for (let index = 0; index < mc.p10.length; index++) {
      expect(mc.p10[index]!).toBeLessThanOrEqual(mc.p50[index]! + 1e-6);
      expect(mc.p50[index]!).toBeLessThanOrEqual(mc.p90[index]! + 1e-6);
      expect(mc.p10[index]!).toBeGreaterThanOrEqual(result.grids.confirmed[index]! - 1e-3);
      expect(mc.p90[index]!).toBeLessThanOrEqual(result.grids.exposure[index]! + 1e-3);
    }
  });

  it('is reproducible for a seed and independent of the thread count', async () => {
    const one = await forecast(pipelineFirm(), { trials: 500, seed: 42 });
    const again = await forecast(pipelineFirm(), { trials: 500, seed: 42 });
    const other = await forecast(pipelineFirm(), { trials: 500, seed: 43 });
    expect(Array.from(again.monteCarlo!.p90)).toEqual(Array.from(one.monteCarlo!.p90));
    expect(Array.from(other.monteCarlo!.p90)).not.toEqual(Array.from(one.monteCarlo!.p90));

    const firm = pipelineFirm();
    const horizon = new Horizon(firm.asOf, firm.horizonWeeks!);
    const roleIndex = new Map(firm.roles.map((role, index) => [role, index]));
    const spread = spreadDemand(horizon, roleIndex, new Map([['', 0]]), () => '', firm.demand, [], firm.resources);
    const capacity = new Float64Array(spread.confirmed.length).fill(50);
    const single = await monteCarlo(spread.confirmed, capacity, spread.deals, { trials: 300, seed: 9, threads: 1 });
    const threaded = await monteCarlo(spread.confirmed, capacity, spread.deals, { trials: 300, seed: 9, threads: 2 });
    expect(Array.from(threaded.p50)).toEqual(Array.from(single.p50));
    expect(Array.from(threaded.shortageProbability)).toEqual(Array.from(single.shortageProbability));
  });

  it('wins or loses a deal as a whole, and reports the probability of a shortage', async () => {
    // One coin-flip deal needing 80 developer hours and 40 trainer hours in week 0; capacity 40 each.
    const result = await forecast(
      input({
        resources: [person('a'), person('t', 'Trainer')],
        demand: [
          line('dev', { opportunityId: 'coin', layer: 'pipeline', probability: 50, hours: 80, end: '2026-01-09' }),
          line('trn', {
            opportunityId: 'coin',
            layer: 'pipeline',
            probability: 50,
            role: 'Trainer',
            hours: 41,
            end: '2026-01-09'
          })
        ]
      }),
      { trials: 2000, seed: 3 }
    );
    const mc = result.monteCarlo!;
    const weeks = result.weeks.length;
    const devShort = cell(mc.shortageProbability, result.roles, weeks, 'Developer', 0);
    const trainerShort = cell(mc.shortageProbability, result.roles, weeks, 'Trainer', 0);
    expect(devShort).toBeGreaterThan(0.45);
    expect(devShort).toBeLessThan(0.55);
    // Both lines belong to one deal: shortages happen in exactly the same trials.
    expect(trainerShort).toBe(devShort);
    expect(cell(mc.p10, result.roles, weeks, 'Developer', 0)).toBe(0);
    expect(cell(mc.p90, result.roles, weeks, 'Developer', 0)).toBe(80);
    expect(cell(mc.shortageProbability, result.roles, weeks, 'Developer', 1)).toBe(0);
  });

  it('interpolates quantiles between ranks', () => {
    expect(quantile(Float64Array.from([0, 10, 20, 30, 40]), 0.5)).toBe(20);
    expect(quantile(Float64Array.from([0, 10]), 0.9)).toBe(9);
    expect(quantile(new Float64Array(0), 0.5)).toBe(0);
  });
});
