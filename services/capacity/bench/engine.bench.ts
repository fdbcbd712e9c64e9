import { performance } from 'node:perf_hooks';
import { resourceCapacity } from '../src/engine/capacity';
import { spreadDemand } from '../src/engine/demand';
import { forecast } from '../src/engine/forecast';
import { FirmCalendar } from '../src/engine/firm-calendar';
import { Horizon } from '../src/engine/horizon';
import { monteCarlo } from '../src/engine/monte-carlo';
import { recommend } from '../src/engine/recommend';
import { staffingAnswers } from '../src/engine/staffing';
import { validateInput } from '../src/engine/validate';
import { syntheticFirm } from './generate';
import { withHistory } from './history';

/**
 * Engine benchmark at firm scale: 20,000 resources, 104 weeks, 100,000 demand lines, 10,000 open opportunities and
 * 2,000 Monte Carlo trials. Targets: deterministic forecast < 150 ms, with trials < 2 s on 2 cores, memory < 500 MB.
 * Prints each stage (best of 3) and the whole forecast.
 */
const best = (runs: number, work: () => unknown) => {
  let fastest = Infinity;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
};

async function main() {
  const size = { resources: 20_000, demandLines: 100_000, openOpportunities: 10_000, roles: 20, weeks: 104 };
  const firm = syntheticFirm(size);
  await forecast(firm); // warm-up

  const horizon = new Horizon(firm.asOf, size.weeks);
  const roleIndex = new Map(firm.roles.map((role, index) => [role, index]));
  const practiceIndex = new Map([['', 0]]);
  const calendar = new FirmCalendar(horizon, firm.holidays);
  let capacity = new Float64Array(0);
  let spread!: ReturnType<typeof spreadDemand>;
  const stages = {
    validate: best(3, () => validateInput(firm)),
    capacity: best(3, () => (capacity = resourceCapacity(horizon, firm.resources, firm.holidays!, firm.timeOff!))),
    layers: best(
      3,
      () =>
        (spread = spreadDemand(horizon, roleIndex, practiceIndex, () => '', firm.demand, [], firm.resources, calendar))
    ),
    staffing: best(3, () =>
      staffingAnswers(
        horizon,
        firm.roles,
        new Float64Array(spread.confirmed.length),
        firm.demand,
        firm.opportunities!,
        calendar
      )
    ),
    recommendations: best(3, () => recommend(horizon, firm.resources, capacity, [], firm.demand, 3, 12))
  };
  const roleCapacity = new Float64Array(spread.confirmed.length);
  const monteCarloMs = await (async () => {
    const started = performance.now();
    await monteCarlo(spread.confirmed, roleCapacity, spread.deals, { trials: 2000, seed: 1 });
    return performance.now() - started;
  })();

  let started = performance.now();
  await forecast(firm);
  const deterministicTotal = performance.now() - started;
  started = performance.now();
  const result = await forecast(firm, { trials: 2000, seed: 1 });
  const withTrials = performance.now() - started;

  console.log(`firm: ${JSON.stringify(size)}, ${spread.deals.cells.length} pipeline role-week entries`);
  const deterministicCore = stages.validate + stages.capacity + stages.layers;
  console.log(
    `deterministic forecast (validate + capacity + 3 layers by role and practice): ${deterministicCore.toFixed(0)} ms`
  );
  for (const [stage, ms] of Object.entries(stages)) console.log(`  ${stage.padEnd(16)} ${ms.toFixed(0)} ms`);
  console.log(`  monte carlo      ${monteCarloMs.toFixed(0)} ms (2,000 trials)`);
  console.log(`whole forecast without trials (incl. staffing + recommendations): ${deterministicTotal.toFixed(0)} ms`);
  console.log(`whole forecast with 2,000 trials: ${withTrials.toFixed(0)} ms`);
  console.log(`answers: ${result.staffing.length} deals, ${result.recommendations.length} recommended lines`);
  // Calibrated from opportunity history (20,000 closed deals), with close-date slip in every trial.
  const historic = withHistory(firm, 20_000);
  started = performance.now();
  await forecast(historic, { trials: 2000, seed: 1, probabilitySource: 'calibrated' });
  const withSlip = performance.now() - started;
  console.log(
    `whole forecast with 2,000 trials, calibrated from ${historic.history!.length} history rows, with slip: ${withSlip.toFixed(0)} ms`
  );
  console.log(`memory: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
