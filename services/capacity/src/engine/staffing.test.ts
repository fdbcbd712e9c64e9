import { forecast } from './forecast';
import { input, line, person } from './fixtures';

describe('can we staff this deal?', () => {
  // One developer (40 h/week), busy 30 h/week on confirmed work for the first four weeks.
  const firm = (extra: Parameters<typeof line>[1] = {}) =>
    input({
      resources: [person('dev')],
      demand: [
        line('busy', { hours: 120, end: '2026-01-30' }),
        line('deal-dev', {
          opportunityId: 'deal',
          layer: 'pipeline',
          probability: 60,
          hours: 60,
          start: '2026-01-05',
          end: '2026-01-16',
          ...extra
        })
      ],
      opportunities: [{ id: 'deal', probability: 60, expectedStart: '2026-01-05' }]
    });

  it('reports the shortfall by role at the planned start and the earliest start that fits', async () => {
    const result = await forecast(firm());
    expect(result.staffing).toEqual([
      {
        opportunityId: 'deal',
        plannedStart: '2026-01-05',
        staffable: false,
        // 30 h/week needed, 10 h/week free, for two weeks.
        shortfalls: [{ role: 'Developer', hours: 40, firstWeek: '2026-01-05' }],
        // The confirmed work ends with January; from Monday 2 February the deal fits.
        earliestFeasibleStart: '2026-02-02'
      }
    ]);
  });

  it('says a deal that fits is staffable at its planned start', async () => {
    const result = await forecast(firm({ hours: 20 }));
    expect(result.staffing[0]).toMatchObject({ staffable: true, shortfalls: [], earliestFeasibleStart: '2026-01-05' });
  });

  it('has no feasible start when the demand never fits in the horizon', async () => {
    const result = await forecast(firm({ hours: 500 }));
    expect(result.staffing[0]).toMatchObject({ staffable: false, earliestFeasibleStart: null });
  });
});
