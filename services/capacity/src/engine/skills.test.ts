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
    // Nothing was over-committed before the deal (0 free, not less), so all 20 h are this deal's; the role has no
    // shortfall of its own, so the deal lacks at least those 20 h.
    expect(result.staffing).toEqual([
      {
        opportunityId: 'deal',
        plannedStart: '2026-01-05',
        startBasis: 'Expected_Start',
        startShiftDays: 0,
        state: 'Short',
        staffable: false,
        shortfalls: [
          {
            role: 'Developer',
            skill: 'Apex',
            hours: 20,
            overCommittedHours: 0,
            firstWeek: '2026-01-05',
            earliestFeasibleStart: '2026-01-19'
          }
        ],
        shortfallHours: 20,
        overCommittedHours: 0,
        hoursBeyondHorizon: 0,
        horizonEnd: '2026-03-01',
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
      shortfalls: [
        {
          role: 'Developer',
          skill: 'MuleSoft',
          hours: 20,
          overCommittedHours: 0,
          firstWeek: '2026-01-05',
          earliestFeasibleStart: null
        }
      ],
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

describe('skills on the firm calendar, for deals placed at their expected start', () => {
  it('applies firm-wide holidays and working days to skill capacity, skill demand and soft bookings', async () => {
    const result = await forecast(
      input({
        resources: [
          person('a', 'Developer', { skills: ['Apex'] }),
          // 24 h over Monday, Tuesday, Wednesday: 8 h a day.
          person('b', 'Developer', { skills: ['Apex'], weeklyHours: 24, workingDays: [0, 1, 2] })
        ],
        holidays: [{ date: '2026-01-07' }], // a firm-wide Wednesday in week 0
        demand: [line('apex', { skill: 'Apex', hours: 36, start: AS_OF, end: '2026-01-16' })],
        assignments: [booking('soft', { hoursPerWeek: 10 })]
      })
    );
    const [apex] = result.skills;
    // Capacity: a 40 - 8 (the holiday) = 32, b 24 - 8 (b works Wednesdays) = 16: 48 in week 0; 40 + 24 = 64 in week 1.
    expect([apex!.capacity[0], apex!.capacity[1]]).toEqual([48, 64]);
    // 36 h over the firm's 4 + 5 = 9 working days: 4 h a day, 16 h in week 0 and 20 h in week 1 (not 18 and 18).
    expect([apex!.confirmed[0], apex!.confirmed[1]]).toEqual([16, 20]);
    // a's soft booking on no line, 10 h for a full firm week, books 4 of 5 days: 8 h, in the role and in Apex.
    expect(apex!.tentative[0]).toBe(16 + 8);
    expect(cell(result.grids.tentative, result.roles, 8, 'Developer', 0)).toBe(16 + 8);
  });

  it('checks the skill holders at the expected start, apart from their existing over-commitment', async () => {
    const result = await forecast(
      input({
        resources: [person('a', 'Developer', { skills: ['Apex'] }), person('b')],
        holidays: [{ date: '2026-01-09' }], // a firm-wide Friday in week 0
        demand: [
          // 90 h over the firm's 4 + 5 working days of weeks 0-1: 10 h a day, 40 h then 50 h.
          line('busy', { skill: 'Apex', hours: 90, start: AS_OF, end: '2026-01-16' }),
          // The lines say week 2; the deal was brought forward to week 0 (Friday off): 20 h over 4 days, all in week 0.
          line('deal-line', {
            opportunityId: 'deal',
            layer: 'pipeline',
            probability: 50,
            skill: 'Apex',
            hours: 20,
            start: '2026-01-19',
            end: '2026-01-23'
          })
        ],
        opportunities: [{ id: 'deal', probability: 50, expectedStart: AS_OF }]
      })
    );
    // Developers: 32 + 32 capacity in week 0 less 40 confirmed = 24 free >= 20: the role fits.
    // Apex holders (a): 32 - 40 = -8 in week 0, 40 - 50 = -10 in week 1, 40 free from week 2. The deal's 20 h are all
    // its own (need 20 - max(0, -8)); the 8 h were over-committed already. Moved two weeks later it fits: 2026-01-19.
    expect(result.staffing).toEqual([
      {
        opportunityId: 'deal',
        plannedStart: '2026-01-05',
        startBasis: 'Expected_Start_Shifted',
        startShiftDays: -14,
        state: 'Short',
        staffable: false,
        shortfalls: [
          {
            role: 'Developer',
            skill: 'Apex',
            hours: 20,
            overCommittedHours: 8,
            firstWeek: '2026-01-05',
            earliestFeasibleStart: '2026-01-19'
          }
        ],
        shortfallHours: 20,
        overCommittedHours: 8,
        hoursBeyondHorizon: 0,
        horizonEnd: '2026-03-01',
        earliestFeasibleStart: '2026-01-19'
      }
    ]);
  });

  it('counts a role once in the deal total when both the role and its skill holders are short', async () => {
    const result = await forecast(
      input({
        resources: [person('a', 'Developer', { skills: ['Apex'] }), person('b')],
        demand: [
          line('busy', { skill: 'Apex', hours: 60, start: AS_OF, end: '2026-01-09' }),
          line('deal-line', {
            opportunityId: 'deal',
            layer: 'pipeline',
            probability: 50,
            skill: 'Apex',
            hours: 30,
            start: AS_OF,
            end: '2026-01-09'
          })
        ],
        opportunities: [{ id: 'deal', probability: 50, expectedStart: AS_OF }]
      })
    );
    const [answer] = result.staffing;
    // Role: 80 - 60 = 20 free, 30 needed: 10 h short, nothing over-committed. Apex (a alone): 40 - 60 = -20 free:
    // all 30 h short, 20 h over-committed already. Both fit in week 1.
    expect(answer!.shortfalls).toEqual([
      {
        role: 'Developer',
        skill: 'Apex',
        hours: 30,
        overCommittedHours: 20,
        firstWeek: AS_OF,
        earliestFeasibleStart: '2026-01-12'
      },
      { role: 'Developer', hours: 10, overCommittedHours: 0, firstWeek: AS_OF, earliestFeasibleStart: '2026-01-12' }
    ]);
    // The same developers' hours: at least max(10, 30) = 30 h short and max(0, 20) = 20 h over-committed, not 40 and 20.
    expect(answer).toMatchObject({ shortfallHours: 30, overCommittedHours: 20, earliestFeasibleStart: '2026-01-12' });
  });
});
