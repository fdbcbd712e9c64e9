import { forecast } from './forecast';
import { AS_OF, cell, input, line, person } from './fixtures';
import type { AssignmentInput } from './types';

const week0 = { start: AS_OF, end: '2026-01-09' };
const booking = (id: string, extra: Partial<AssignmentInput>): AssignmentInput => ({
  id,
  resourceId: 'a',
  hoursPerWeek: 40,
  booking: 'Soft',
  ...week0,
  ...extra
});

describe('capacity and demand by skill', () => {
  it('counts a person towards each skill they hold, within their role', async () => {
    const result = await forecast(
      input({
        resources: [
          person('a', 'Developer', { skills: ['Apex', 'LWC'] }),
          person('b', 'Developer', { skills: ['Apex'], weeklyHours: 20 }),
          person('c', 'Trainer', { skills: ['Apex'] })
        ],
        demand: [
          line('apex', { skill: 'Apex', hours: 40, ...week0 }),
          line('lwc', { skill: 'LWC', hours: 20, ...week0, layer: 'pipeline', probability: 50 })
        ]
      })
    );
    const pair = (skill: string) => result.skills.find((row) => row.skill === skill)!;
    // Developers holding Apex: a 40 + b 20 = 60; c is a Trainer. Developers holding LWC: a = 40.
    expect(pair('Apex')).toMatchObject({ role: 'Developer' });
    expect(pair('Apex').capacity[0]).toBe(60);
    expect(pair('LWC').capacity[0]).toBe(40);
    // The skill rows overlap (60 + 40 = 100 > the role's 60): a counts in both.
    expect(cell(result.grids.capacity, result.roles, 8, 'Developer', 0)).toBe(60);
    expect(pair('Apex').confirmed[0]).toBe(40);
    // LWC pipeline 20 h at 50%: weighted 10, exposure 20, nothing confirmed.
    expect([pair('LWC').confirmed[0], pair('LWC').weighted[0], pair('LWC').exposure[0]]).toEqual([0, 10, 20]);
  });

  it('counts a holder hard-booked on a line without the skill as busy in the skill row', async () => {
    const result = await forecast(
      input({
        resources: [person('a', 'Developer', { skills: ['Apex'] }), person('b')],
        demand: [line('plain', { hours: 40, ...week0 }), line('apex', { skill: 'Apex', hours: 8, ...week0 })],
        assignments: [booking('h', { demandId: 'plain', booking: 'Hard' })]
      })
    );
    // Role: the line 'plain' already holds the booking, so 40 + 8 = 48 confirmed. Skill: a (the only Apex holder)
    // is booked 40 h on 'plain', plus the Apex line's 8 h.
    expect(cell(result.grids.confirmed, result.roles, 8, 'Developer', 0)).toBe(48);
    expect(result.skills[0]!.confirmed[0]).toBe(48);
  });
});

describe('can we staff it: the skill, not only the role', () => {
  // a holds Apex and is busy on Apex work for two weeks; b has no skill and is free.
  const firm = (dealLine: Parameters<typeof line>[1]) =>
    input({
      resources: [person('a', 'Developer', { skills: ['Apex'] }), person('b')],
      demand: [
        line('busy', { skill: 'Apex', hours: 80, start: AS_OF, end: '2026-01-16' }),
        line('deal-line', {
          opportunityId: 'deal',
          layer: 'pipeline',
          probability: 50,
          hours: 20,
          ...week0,
          ...dealLine
        })
      ],
      opportunities: [{ id: 'deal', probability: 50, expectedStart: AS_OF }]
    });

  it('is not staffable when the role has hours but nobody holding the skill has', async () => {
    const result = await forecast(firm({ skill: 'Apex' }));
    // Developers: 80 h - 40 h confirmed = 40 h free >= 20 h, so the role alone would pass. Apex holders (a): 40 - 40 = 0
    // free in weeks 0 and 1: 20 h short in week 0; from week 2 (2026-01-19) a is free.
    expect(result.staffing).toEqual([
      {
        opportunityId: 'deal',
        plannedStart: '2026-01-05',
        staffable: false,
        shortfalls: [{ role: 'Developer', skill: 'Apex', hours: 20, firstWeek: '2026-01-05' }],
        earliestFeasibleStart: '2026-01-19'
      }
    ]);
  });

  it('is staffable when the line names no skill (the same hours fit the role)', async () => {
    const result = await forecast(firm({}));
    expect(result.staffing[0]).toMatchObject({ staffable: true, shortfalls: [] });
  });

  it('names a skill nobody of the role holds, with no feasible start', async () => {
    const result = await forecast(firm({ skill: 'MuleSoft' }));
    expect(result.staffing[0]).toMatchObject({
      staffable: false,
      shortfalls: [{ role: 'Developer', skill: 'MuleSoft', hours: 20, firstWeek: '2026-01-05' }],
      earliestFeasibleStart: null
    });
  });
});

describe('the Tentative layer', () => {
  it('adds soft-booked hours that confirmed demand does not already hold', async () => {
    const result = await forecast(
      input({
        resources: [person('a')],
        demand: [
          line('won', { hours: 40, ...week0 }),
          line('maybe', { opportunityId: 'deal', layer: 'pipeline', probability: 50, hours: 20, ...week0 })
        ],
        assignments: [
          booking('on-won', { demandId: 'won' }), // held by the confirmed line: adds nothing
          booking('on-maybe', { demandId: 'maybe', hoursPerWeek: 10 }), // pipeline line: +10
          booking('no-line', { hoursPerWeek: 5 }), // no line: +5
          booking('hard', { hoursPerWeek: 8, booking: 'Hard' }) // hard without a line: confirmed +8
        ]
      })
    );
    const at = (grid: Float64Array) => cell(grid, result.roles, 8, 'Developer', 0);
    // confirmed 40 + 8 = 48; tentative 48 + 10 + 5 = 63; weighted 48 + 20 x 50% = 58; exposure 48 + 20 = 68.
    expect(at(result.grids.confirmed)).toBe(48);
    expect(at(result.grids.tentative)).toBe(63);
    expect(at(result.grids.weighted)).toBe(58);
    expect(at(result.grids.exposure)).toBe(68);
    expect(at(result.grids.tentative)).not.toBe(48 + 40 + 10 + 5); // the soft booking on 'won' is not counted twice
  });

  it('spreads a soft booking over its working days and only in the horizon', async () => {
    const result = await forecast(
      input({
        resources: [person('a', 'Developer', { practice: 'CRM' })],
        // Thursday 2026-01-08 to Tuesday 2026-01-13: 2 days in week 0, 2 days in week 1, at 10 h/week = 2 h/day.
        assignments: [booking('soft', { hoursPerWeek: 10, start: '2026-01-08', end: '2026-01-13' })]
      })
    );
    expect(cell(result.grids.tentative, result.roles, 8, 'Developer', 0)).toBe(4);
    expect(cell(result.grids.tentative, result.roles, 8, 'Developer', 1)).toBe(4);
    expect(cell(result.grids.confirmed, result.roles, 8, 'Developer', 0)).toBe(0);
    expect(result.practiceGrids.tentative[0]).toBe(4);
  });
});
