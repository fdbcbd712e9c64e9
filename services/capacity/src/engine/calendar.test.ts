import { dayNumber, isoDate, mondayOf, weekday, workingDays } from './calendar';

describe('calendar', () => {
  it('reads ISO dates and refuses impossible ones', () => {
    expect(isoDate(dayNumber('2026-11-23'))).toBe('2026-11-23');
    expect(dayNumber('2026-02-30')).toBeNaN();
    expect(dayNumber('23/11/2026')).toBeNaN();
  });

  it('knows Mondays and weekdays', () => {
    expect(weekday(dayNumber('2026-11-23'))).toBe(0); // a Monday
    expect(weekday(dayNumber('2026-11-29'))).toBe(6); // a Sunday
    expect(isoDate(mondayOf(dayNumber('2026-11-29')))).toBe('2026-11-23');
  });

  it('counts working days in inclusive ranges', () => {
    const day = (iso: string) => dayNumber(iso);
    expect(workingDays(day('2026-11-23'), day('2026-11-29'))).toBe(5);
    expect(workingDays(day('2026-11-25'), day('2026-12-01'))).toBe(5); // Wed..Tue
    expect(workingDays(day('2026-11-28'), day('2026-11-29'))).toBe(0); // a weekend
    expect(workingDays(day('2026-11-23'), day('2027-01-03'))).toBe(30);
    expect(workingDays(day('2026-11-24'), day('2026-11-23'))).toBe(0);
    // Brute force over many ranges.
    for (let from = day('2026-01-01'); from < day('2026-02-15'); from += 3) {
      for (let to = from - 1; to < from + 40; to += 5) {
        let expected = 0;
        for (let d = from; d <= to; d++) if (weekday(d) < 5) expected++;
        expect(workingDays(from, to)).toBe(expected);
      }
    }
  });
});
