import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { resourceCapacity } from '../src/engine/capacity';
import { spreadDemand } from '../src/engine/demand';
import { forecast } from '../src/engine/forecast';
import { FirmCalendar } from '../src/engine/firm-calendar';
import { Horizon } from '../src/engine/horizon';
import { monteCarlo } from '../src/engine/monte-carlo';
import { recommend } from '../src/engine/recommend';
import { skillCapacity, skillRemaining } from '../src/engine/skills';
import { staffingAnswers } from '../src/engine/staffing';
import { validateInput } from '../src/engine/validate';
import { syntheticFirm } from './generate';
import { withHistory } from './history';

/**
 * Engine benchmark at firm scale: 20,000 resources with varied weekly hours and one to three skills, 104 weeks,
 * 100,000 demand lines (half naming a skill), 10,000 open opportunities, 20,000 hard and soft bookings (the Tentative
 * layer) and 2,000 Monte Carlo trials. Targets on 2 cores: deterministic forecast < 150 ms, 2,000 trials < 2 s, peak
 * memory < 500 MB. Prints each stage (best of 5) and a table of the targets. The machine's load average is printed
 * too: on a shared machine the figures are only as good as the cores the run actually got.
 */
const RUNS = 5;
const TARGETS = { deterministicMs: 150, trialsMs: 2000, memoryMb: 500 };

/** Wall-clock and CPU milliseconds (CPU = this process, all threads: on a busy machine, what the work itself cost). */
interface Timing {
  wall: number;
  cpu: number;
}

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function bestAsync(runs: number, work: () => unknown): Promise<Timing> {
  const fastest = { wall: Infinity, cpu: Infinity };
  for (let run = 0; run < runs; run++) {
    const wall = performance.now();
    const cpu = cpuMs();
    await work();
    fastest.cpu = Math.min(fastest.cpu, cpuMs() - cpu);
    fastest.wall = Math.min(fastest.wall, performance.now() - wall);
  }
  return fastest;
}
const best = bestAsync;

async function main() {
  const size = { resources: 20_000, demandLines: 100_000, openOpportunities: 10_000, roles: 20, weeks: 104 };
  const firm = syntheticFirm(size);
  const assignments = firm.assignments ?? [];
  await forecast(firm); // warm-up

  const horizon = new Horizon(firm.asOf, size.weeks);
  const roleIndex = new Map(firm.roles.map((role, index) => [role, index]));
  const practiceIndex = new Map([['', 0]]);
  const calendar = new FirmCalendar(horizon, firm.holidays);
  let capacity = new Float64Array(0);
  let spread!: ReturnType<typeof spreadDemand>;
  let skillHours = new Float64Array(0);
  const stages = {
    validate: await best(RUNS, () => validateInput(firm)),
    capacity: await best(
      RUNS,
      () => (capacity = resourceCapacity(horizon, firm.resources, firm.holidays!, firm.timeOff!))
    ),
    'layers (4, by role, practice, skill)': await best(
      RUNS,
      () =>
        (spread = spreadDemand(
          horizon,
          roleIndex,
          practiceIndex,
          () => '',
          firm.demand,
          assignments,
          firm.resources,
          calendar
        ))
    ),
    'skill capacity': await best(
      RUNS,
      () => (skillHours = skillCapacity(spread.skills, firm.resources, capacity, size.weeks))
    ),
    'staffing (role + skill)': await best(RUNS, () =>
      staffingAnswers(
        horizon,
        firm.roles,
        new Float64Array(spread.confirmed.length),
        firm.demand,
        firm.opportunities!,
        calendar,
        { pairs: spread.skills, remaining: skillRemaining(spread.skills, skillHours, size.weeks) }
      )
    ),
    recommendations: await best(RUNS, () =>
      recommend(horizon, firm.resources, capacity, assignments, firm.demand, 3, 12, calendar)
    )
  };
  const roleCapacity = new Float64Array(spread.confirmed.length);
  const monteCarloMs = await bestAsync(1, () =>
    monteCarlo(spread.confirmed, roleCapacity, spread.deals, { trials: 2000, seed: 1 })
  );

  const deterministic = await bestAsync(RUNS, () => forecast(firm));
  let result!: Awaited<ReturnType<typeof forecast>>;
  const withTrials = await bestAsync(2, async () => (result = await forecast(firm, { trials: 2000, seed: 1 })));
  const memoryMb = process.resourceUsage().maxRSS / 1024;

  const [load1] = os.loadavg();
  console.log(
    `firm: ${JSON.stringify(size)}, ${assignments.length} bookings, ${spread.deals.cells.length} pipeline role-week entries, ` +
      `${spread.skills.length} (role, skill) pairs`
  );
  console.log(`machine: ${os.availableParallelism()} CPUs, load average ${load1!.toFixed(1)} when done`);
  const ms = (value: number) => value.toFixed(0).padStart(8);
  console.log(`${'stage (best of 5)'.padEnd(40)} wall ms   cpu ms`);
  for (const [stage, time] of Object.entries({ ...stages, 'monte carlo (2,000 trials)': monteCarloMs })) {
    console.log(`  ${stage.padEnd(38)}${ms(time.wall)} ${ms(time.cpu)}`);
  }
  console.log(`answers: ${result.staffing.length} deals, ${result.recommendations.length} recommended lines`);
  const cell = (value: number | undefined, unit: string) =>
    (value === undefined ? '' : `${value.toFixed(0)} ${unit}`).padStart(9);
  const row = (what: string, value: Timing | number, target: number, unit: string) => {
    const wall = typeof value === 'number' ? value : value.wall;
    const cpu = typeof value === 'number' ? undefined : value.cpu;
    return `| ${what.padEnd(42)} | ${cell(wall, unit)} | ${cell(cpu, unit)} | ${`< ${target} ${unit}`.padStart(
      9
    )} | ${wall < target ? 'met   ' : 'missed'} |`;
  };
  console.log('| measure                                    |      wall |       cpu |    target | result |');
  console.log('| ------------------------------------------ | --------: | --------: | --------: | ------ |');
  console.log(row('deterministic forecast (whole, best of 5)', deterministic, TARGETS.deterministicMs, 'ms'));
  console.log(row('forecast with 2,000 trials (best of 2)', withTrials, TARGETS.trialsMs, 'ms'));
  console.log(row('peak memory (RSS)', memoryMb, TARGETS.memoryMb, 'MB'));
  // Calibrated from opportunity history (20,000 closed deals), with close-date slip in every trial.
  const historic = withHistory(firm, 20_000);
  const withSlip = await bestAsync(1, () =>
    forecast(historic, { trials: 2000, seed: 1, probabilitySource: 'calibrated' })
  );
  console.log(
    row(
      `2,000 trials, calibrated (${historic.history!.length} history rows), with slip`,
      withSlip,
      TARGETS.trialsMs,
      'ms'
    )
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
