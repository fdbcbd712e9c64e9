import { dayNumber, weekday } from './calendar';
import type { Horizon } from './horizon';
import type { HolidayInput } from './types';
import { weekdaysIn } from './weekdays';

/**
 * The firm's calendar: Monday to Friday less the firm-wide holidays (holidays without a location). Demand is spread
 * over these days, so a firm-wide holiday lowers a week's demand as it lowers that week's capacity. Location
 * holidays are not here: they reduce their own people's capacity only (capacity.ts).
 */
export class FirmCalendar {
  /** Firm-wide holidays on weekdays, as sorted, distinct day numbers. */
  private readonly holidays: Int32Array;
  /** Working days of each whole week of the horizon (5 less its firm-wide holidays). */
  readonly weekDays: Int8Array;

  constructor(
    private readonly horizon: Horizon,
    holidays: HolidayInput[] = []
  ) {
    const days = new Set<number>();
    for (const holiday of holidays) {
      if (holiday.location) continue;
      const day = dayNumber(holiday.date);
      if (!Number.isNaN(day) && weekday(day) < 5) days.add(day);
    }
    this.holidays = Int32Array.from([...days].sort((a, b) => a - b));
    this.weekDays = new Int8Array(horizon.weeks).fill(5);
    for (const day of this.holidays) {
      const week = horizon.weekOf(day);
      if (week >= 0 && week < horizon.weeks) this.weekDays[week]!--;
    }
  }

  /** Firm working days in the inclusive range [from, to]; 0 when to < from. */
  workingDays(from: number, to: number): number {
    if (to < from) return 0;
    // Constant-time weekday count: this runs once per demand line and per partial week at firm scale.
    const weekdays = weekdaysIn(from, to);
    return this.holidays.length === 0 ? weekdays : weekdays - (this.countBefore(to + 1) - this.countBefore(from));
  }

  /**
   * Firm working days of the overlap of [from, to] with week `week` of the horizon. Whole weeks (the common case)
   * read a precomputed count.
   */
  daysInWeek(week: number, from: number, to: number): number {
    const weekStart = this.horizon.start + week * 7;
    if (from <= weekStart && to >= weekStart + 6) return this.weekDays[week]!;
    return this.workingDays(Math.max(from, weekStart), Math.min(to, weekStart + 6));
  }

  /** Holidays strictly before `day` (binary search). */
  private countBefore(day: number): number {
    let low = 0;
    let high = this.holidays.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.holidays[middle]! < day) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
