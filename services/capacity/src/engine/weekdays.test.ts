import { dayNumber, workingDays } from './calendar';
import { weekdaysIn } from './weekdays';

describe('weekdaysIn', () => {
  it('counts Monday to Friday like workingDays, for every range of up to 40 days over two years', () => {
    const first = dayNumber('2025-12-01');
    const differ: string[] = [];
    let checked = 0;
    for (let from = first; from < first + 730; from++) {
      for (let to = from - 2; to < from + 40; to++) {
        if (weekdaysIn(from, to) !== workingDays(from, to)) differ.push(`${from}..${to}`);
        checked++;
      }
    }
    expect(differ).toEqual([]);
    expect(checked).toBe(730 * 42);
  });

  it('counts by hand: Wednesday 2026-01-07 to Tuesday 2026-01-13 is Wed, Thu, Fri, Mon, Tue', () => {
    expect(weekdaysIn(dayNumber('2026-01-07'), dayNumber('2026-01-13'))).toBe(5);
    expect(weekdaysIn(dayNumber('2026-01-10'), dayNumber('2026-01-11'))).toBe(0); // a weekend
    expect(weekdaysIn(dayNumber('1969-12-25'), dayNumber('1970-01-05'))).toBe(8); // across day 0
  });
});
