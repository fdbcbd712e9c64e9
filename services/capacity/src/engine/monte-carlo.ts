import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DealContributions } from './demand';
import { runTrials, type TrialJob } from './monte-carlo-kernel';
import type { MonteCarloGrids } from './types';

/** Below this much work (trials x demand entries) threads cost more than they save. */
const THREAD_THRESHOLD = 2_000_000;

export interface MonteCarloOptions {
  trials: number;
  seed: number;
  /** Worker threads to use (default: one for small runs, else the machine's available parallelism). */
  threads?: number;
  /**
   * Close-date slip: empirical distributions of weeks (CSR: distribution i is values[offsets[i] .. offsets[i + 1] - 1])
   * and per deal the index of the one it draws from (-1: none). Each trial a deal is won it draws a slip and all its
   * demand moves by that many weeks; hours moved past the horizon drop out.
   */
  slip?: { dealDistribution: Int32Array; offsets: Int32Array; values: Int32Array };
  /** Weeks per role row of the grids (needed with slip). */
  weeks?: number;
}

/**
 * Simulates pipeline outcomes: per trial each open deal wins or loses as a whole (and, with slip, a won deal starts
 * some sampled weeks early or late). Returns per role-week P10/P50/P90
 * and mean demand and the probability that demand exceeds capacity. Reproducible for a seed, whatever the thread
 * count.
 */
export async function monteCarlo(
  baseline: Float64Array,
  capacity: Float64Array,
  deals: DealContributions,
  options: MonteCarloOptions
): Promise<MonteCarloGrids> {
  const { trials, seed } = options;
  const cellCount = baseline.length;
  const samples = new Float32Array(new SharedArrayBuffer(cellCount * trials * 4));
  const work = trials * deals.cells.length;
  const threads = Math.max(
    1,
    Math.min(trials, options.threads ?? (work < THREAD_THRESHOLD ? 1 : os.availableParallelism()))
  );
  const slices = Array.from({ length: threads }, (_, index) => ({
    from: Math.floor((index * trials) / threads),
    to: Math.floor(((index + 1) * trials) / threads),
    shortage: new Int32Array(new SharedArrayBuffer(cellCount * 4)),
    sum: new Float64Array(new SharedArrayBuffer(cellCount * 8))
  }));
  const slip = options.slip;
  const weeks = options.weeks ?? 0;
  if (slip && weeks <= 0) throw new Error('monteCarlo: slip needs the weeks per role row');
  // The week of each entry, so a trial shifts an entry without a division per entry; and each deal's first and last
  // week, so a shift that keeps the whole deal inside the horizon needs no check per entry.
  const entryWeeks = slip ? deals.cells.map((cell) => cell % weeks) : undefined;
  const dealWeeks = slip ? weekRanges(deals.offsets, entryWeeks!) : undefined;
  const job = (slice: (typeof slices)[number]): TrialJob => ({
    baseline,
    capacity,
    offsets: deals.offsets,
    cells: deals.cells,
    hours: deals.hours,
    probabilities: deals.probabilities,
    seed,
    trials,
    from: slice.from,
    to: slice.to,
    samples,
    shortage: slice.shortage,
    sum: slice.sum,
    ...(slip
      ? {
          slipDistribution: slip.dealDistribution,
          slipOffsets: slip.offsets,
          slipValues: slip.values,
          entryWeeks,
          firstWeeks: dealWeeks!.first,
          lastWeeks: dealWeeks!.last,
          weeks
        }
      : {})
  });

  if (threads === 1) {
    runTrials(job(slices[0]!));
  } else {
    await Promise.all(slices.map((slice) => runInWorker(job(slice))));
  }

  const shortage = new Int32Array(cellCount);
  const sum = new Float64Array(cellCount);
  for (const slice of slices) {
    for (let cell = 0; cell < cellCount; cell++) {
      shortage[cell]! += slice.shortage[cell]!;
      sum[cell]! += slice.sum[cell]!;
    }
  }
  const grids: MonteCarloGrids = {
    trials,
    seed,
    p10: new Float64Array(cellCount),
    p50: new Float64Array(cellCount),
    p90: new Float64Array(cellCount),
    mean: new Float64Array(cellCount),
    shortageProbability: new Float64Array(cellCount)
  };
  // Samples are trial-major; each cell's quantiles need its column. Columns are gathered 16 cells at a time, so each
  // trial's read is one cache line rather than 16 scattered ones.
  const block = 16;
  const columns = Array.from({ length: block }, () => new Float32Array(trials));
  for (let first = 0; first < cellCount; first += block) {
    const width = Math.min(block, cellCount - first);
    for (let trial = 0; trial < trials; trial++) {
      const row = trial * cellCount + first;
      for (let offset = 0; offset < width; offset++) columns[offset]![trial] = samples[row + offset]!;
    }
    for (let offset = 0; offset < width; offset++) {
      const cell = first + offset;
      const values = columns[offset]!.sort();
      grids.p10[cell] = quantile(values, 0.1);
      grids.p50[cell] = quantile(values, 0.5);
      grids.p90[cell] = quantile(values, 0.9);
      grids.mean[cell] = sum[cell]! / trials;
      grids.shortageProbability[cell] = shortage[cell]! / trials;
    }
  }
  return grids;
}

/** First and last week of each deal's entries (an empty deal: first > last). */
function weekRanges(offsets: Int32Array, entryWeeks: Int32Array): { first: Int32Array; last: Int32Array } {
  const deals = offsets.length - 1;
  const first = new Int32Array(deals).fill(2 ** 30);
  const last = new Int32Array(deals).fill(-1);
  for (let deal = 0; deal < deals; deal++) {
    for (let entry = offsets[deal]!; entry < offsets[deal + 1]!; entry++) {
      first[deal] = Math.min(first[deal]!, entryWeeks[entry]!);
      last[deal] = Math.max(last[deal]!, entryWeeks[entry]!);
    }
  }
  return { first, last };
}

/** Quantile of sorted values by linear interpolation between closest ranks. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

function runInWorker(job: TrialJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'monte-carlo-worker.js'), { workerData: job });
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`Monte Carlo worker exited with ${code}`))
    );
  });
}
