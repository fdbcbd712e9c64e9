import { forecast } from '../engine/forecast';
import { AS_OF, input, line, person } from '../engine/fixtures';
import { atLeastByRole } from '../engine/staffing';
import { joinWhole, outputRows } from './rows';

describe('forecast rows by skill and the Tentative column', () => {
  const build = async () =>
    forecast(
      input({
        horizonWeeks: 2,
        resources: [person('a', 'Developer', { skills: ['Apex', 'LWC'] }), person('b')],
        demand: [
          line('apex', { skill: 'Apex', hours: 40, start: AS_OF, end: '2026-01-09' }),
          line('lwc', { skill: 'LWC', opportunityId: 'deal', layer: 'pipeline', probability: 50, hours: 60 })
        ],
        assignments: [
          { id: 's', resourceId: 'b', hoursPerWeek: 10, start: AS_OF, end: '2026-01-09', booking: 'Soft' },
          // a works the Apex line in week 0, so a is not free for LWC work then.
          {
            id: 'h',
            resourceId: 'a',
            demandId: 'apex',
            hoursPerWeek: 40,
            start: AS_OF,
            end: '2026-01-09',
            booking: 'Hard'
          }
        ],
        opportunities: [{ id: 'deal', probability: 50, expectedStart: AS_OF }]
      })
    );

  it('writes one Skill row per role, skill and week, keyed by both, beside the Role rows', async () => {
    const rows = outputRows(await build(), 'A', 'run-1', new Map(), new Map());
    const keys = rows.forecast.map((row) => row.key);
    expect(new Set(keys).size).toBe(keys.length);
    // 3 roles + 1 practice ('(no practice)') + 2 skill pairs, 2 weeks each.
    expect(rows.forecast).toHaveLength((3 + 1 + 2) * 2);
    const apex = rows.forecast.find((row) => row.key === 'A:Skill:Developer:Apex:2026-01-05')!;
    // a (40 h) is the only Developer holding Apex; the Apex line is 40 h in week 0.
    expect(apex.fields).toMatchObject({
      Dimension__c: 'Skill',
      Name__c: 'Developer / Apex',
      Skill__c: 'Apex',
      Capacity_Hours__c: 40,
      Confirmed_Hours__c: 40,
      Tentative_Hours__c: 40,
      P90_Hours__c: null
    });
    const developer = rows.forecast.find((row) => row.key === 'A:Role:Developer:2026-01-05')!;
    // Confirmed 40; b's soft booking on no line adds 10 to Tentative.
    expect(developer.fields).toMatchObject({ Confirmed_Hours__c: 40, Tentative_Hours__c: 50 });
    expect(developer.fields).not.toHaveProperty('Skill__c');
  });

  it('names the short skill apart from the short roles, and never adds a skill shortfall to its role twice', async () => {
    const rows = outputRows(await build(), 'A', 'run-1', new Map(), new Map());
    // LWC deal: 30 h/week over two weeks. Developers: 80 - 40 = 40 free in week 0, 80 in week 1: the role fits.
    // a (the only LWC holder) is booked 40 h on the Apex line in week 0 (0 free), free in week 1: LWC is 30 h short.
    expect(rows.answers[0]!.fields).toMatchObject({
      Staffable__c: false,
      Short_Roles__c: null,
      Short_Skills__c: 'Developer / LWC',
      Shortfall_Hours__c: 30
    });
    // Developer 20 h short as a role and 30 h as LWC holders: at least 30 h, not 50; plus 5 h of Trainer.
    expect(
      atLeastByRole(
        [
          { role: 'Developer', hours: 20, firstWeek: AS_OF },
          { role: 'Developer', skill: 'LWC', hours: 30, firstWeek: AS_OF },
          { role: 'Trainer', hours: 5, firstWeek: AS_OF }
        ],
        (short) => short.hours
      )
    ).toBe(35);
  });
});

describe('short roles and skills in a Text(255) field', () => {
  it('keeps whole values only, so no reader gets half a role / skill pair', () => {
    // 'Developer / Apex' is 16 characters: 15 of them with separators take 15 × 16 + 14 × 2 = 268 > 255, 14 take
    // 14 × 16 + 13 × 2 = 250.
    const pairs = Array.from({ length: 15 }, () => 'Developer / Apex');
    const joined = joinWhole(pairs)!;
    expect(joined).toHaveLength(250);
    expect(joined.split(', ')).toEqual(pairs.slice(0, 14));
    expect(joinWhole([])).toBeNull();
    expect(joinWhole(['Trainer'])).toBe('Trainer');
  });
});
