import { dayNumber } from './calendar';
import { forecast } from './forecast';
import { input, line, person } from './fixtures';
import { mulberry32 } from './random';
import type { DemandInput, EngineInput, ResourceInput } from './types';

describe('staffing recommendations', () => {
  it('ranks people of the role by free time, with a missing skill halving the score', async () => {
    const result = await forecast(
      input({
        resources: [
          person('free-no-skill'),
          person('free-skilled', 'Developer', { skills: ['Apex'] }),
          person('half-busy', 'Developer', { skills: ['Apex'] }),
          person('trainer', 'Trainer')
        ],
        assignments: [
          {
            id: 'a',
            resourceId: 'half-busy',
            hoursPerWeek: 20,
            start: '2026-01-05',
            end: '2026-01-16',
            booking: 'Soft'
          }
        ],
        demand: [line('need', { skill: 'Apex' })]
      })
    );
    // Each candidate's weeks say what the line needs and what they have free for it, week by week.
    const free = (hours: number) => [
      { week: '2026-01-05', need: 40, free: hours },
      { week: '2026-01-12', need: 40, free: hours }
    ];
    expect(result.recommendations).toEqual([
      {
        demandId: 'need',
        role: 'Developer',
        candidates: [
          { resourceId: 'free-skilled', score: 1, availability: 1, skillMatch: true, weeks: free(40) },
          { resourceId: 'free-no-skill', score: 0.5, availability: 1, skillMatch: false, weeks: free(40) },
          { resourceId: 'half-busy', score: 0.5, availability: 0.5, skillMatch: true, weeks: free(20) }
        ]
      }
    ]);
  });

  it('books the top candidate tentatively so the next line sees what is left, and skips pipeline and filled lines', async () => {
    const result = await forecast(
      input({
        resources: [person('only')],
        demand: [
          line('first'),
          line('second', { start: '2026-01-12', end: '2026-01-16', hours: 40 }),
          line('pipeline', { layer: 'pipeline', probability: 50 }),
          line('filled', { status: 'Filled' })
        ]
      })
    );
    expect(result.recommendations.map((r) => r.demandId)).toEqual(['first', 'second']);
    expect(result.recommendations[1]!.candidates).toEqual([]);
    // The first line's weeks show the person free before the greedy books them for it.
    expect(result.recommendations[0]!.candidates[0]!.weeks.every((week) => week.free === week.need)).toBe(true);
  });

  it('stays close to the best allocation on small cases (gap to an exhaustive search)', async () => {
    const ratios: number[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const firm = smallCase(seed);
      const result = await forecast(firm);
      const chosen = new Map(result.recommendations.map((r) => [r.demandId, r.candidates[0]?.resourceId]));
      const greedy = coveredHours(firm, (line) => chosen.get(line.id));
      const best = optimalCoveredHours(firm);
      ratios.push(best === 0 ? 1 : greedy / best);
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(Math.min(...ratios)).toBeGreaterThanOrEqual(0.6);
    expect(mean).toBeGreaterThanOrEqual(0.9);
  });
});

/** 3 developers (some part-time or busy), 4 open lines over 4 weeks. */
export function smallCase(seed: number): EngineInput {
  const random = mulberry32(seed);
  const resources: ResourceInput[] = ['r1', 'r2', 'r3'].map((id) =>
    person(id, 'Developer', { weeklyHours: [20, 30, 40][Math.floor(random() * 3)]! })
  );
  const demand: DemandInput[] = ['d1', 'd2', 'd3', 'd4'].map((id) => {
    const startWeek = Math.floor(random() * 3);
    const weeks = 1 + Math.floor(random() * 2);
    const start = dayNumber('2026-01-05') + startWeek * 7;
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    return line(id, {
      start: iso(start),
      end: iso(start + weeks * 7 - 3),
      hours: 10 * (1 + Math.floor(random() * 6)) * weeks
    });
  });
  return input({ horizonWeeks: 4, resources, demand });
}

/** Hours covered when each line is given to one resource (or none), resources' weekly hours shared in order. */
function coveredHours(firm: EngineInput, pick: (line: DemandInput) => string | undefined): number {
  const free = new Map(firm.resources.map((r) => [r.id, [0, 1, 2, 3].map(() => r.weeklyHours)]));
  let covered = 0;
  const sorted = [...firm.demand].sort(
    (a, b) => dayNumber(a.start) - dayNumber(b.start) || b.hours - a.hours || a.id.localeCompare(b.id)
  );
  for (const demandLine of sorted) {
    const resourceId = pick(demandLine);
    if (!resourceId) continue;
    const weeksFree = free.get(resourceId)!;
    const first = Math.floor((dayNumber(demandLine.start) - dayNumber('2026-01-05')) / 7);
    const last = Math.floor((dayNumber(demandLine.end) - dayNumber('2026-01-05')) / 7);
    const perWeek = demandLine.hours / (last - first + 1);
    for (let week = first; week <= last; week++) {
      const used = Math.min(weeksFree[week]!, perWeek);
      weeksFree[week]! -= used;
      covered += used;
    }
  }
  return covered;
}

function optimalCoveredHours(firm: EngineInput): number {
  const options = [undefined, ...firm.resources.map((r) => r.id)];
  let best = 0;
  const lines = firm.demand;
  const choice = new Array<string | undefined>(lines.length);
  const search = (index: number) => {
    if (index === lines.length) {
      const byId = new Map(lines.map((l, i) => [l.id, choice[i]]));
      best = Math.max(
        best,
        coveredHours(firm, (l) => byId.get(l.id))
      );
      return;
    }
    for (const option of options) {
      choice[index] = option;
      search(index + 1);
    }
  };
  search(0);
  return best;
}

describe('recommendations on the firm calendar', () => {
  it('takes a firm-wide holiday off a booking as off the person, so free time is not under-counted', async () => {
    const result = await forecast(
      input({
        resources: [person('p')],
        holidays: [{ date: '2026-01-07' }], // a firm-wide Wednesday
        // 20 h a week for a full firm week: 4 of 5 days this week, 16 h (not 20).
        assignments: [
          { id: 'a', resourceId: 'p', hoursPerWeek: 20, start: '2026-01-05', end: '2026-01-09', booking: 'Soft' }
        ],
        demand: [line('need', { hours: 32, start: '2026-01-05', end: '2026-01-09' })]
      })
    );
    // Capacity 40 - 8 = 32; booked 16; free 16 of the line's 32 h: availability 0.5 (with 20 h booked it would be
    // 12 / 32 = 0.375).
    expect(result.recommendations[0]!.candidates).toEqual([
      {
        resourceId: 'p',
        score: 0.5,
        availability: 0.5,
        skillMatch: true,
        weeks: [{ week: '2026-01-05', need: 32, free: 16 }]
      }
    ]);
  });
});
