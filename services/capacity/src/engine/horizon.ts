import { dayNumber, isoDate, mondayOf, workingDays } from './calendar';

/** The forecast's weekly buckets: `weeks` Mondays from the week of the as-of date. */
export class Horizon {
  readonly start: number;
  readonly end: number;

  constructor(
    asOf: string,
    readonly weeks: number
  ) {
    this.start = mondayOf(dayNumber(asOf));
    this.end = this.start + weeks * 7 - 1;
  }

  weekStart(week: number): number {
    return this.start + week * 7;
  }

  weekOf(day: number): number {
    return Math.floor((day - this.start) / 7);
  }

  mondays(): string[] {
    return Array.from({ length: this.weeks }, (_, week) => isoDate(this.weekStart(week)));
  }

  /**
   * Calls `visit(week, workingDaysInWeek)` for each week of the horizon overlapping [from, to], with the working
   * days of that overlap.
   */
  forEachWeek(from: number, to: number, visit: (week: number, days: number) => void): void {
    const first = Math.max(0, this.weekOf(Math.max(from, this.start)));
    const last = Math.min(this.weeks - 1, this.weekOf(Math.min(to, this.end)));
    for (let week = first; week <= last; week++) {
      const weekStart = this.weekStart(week);
      // Whole weeks inside the range (the common case) have five working days.
      const days =
        from <= weekStart && to >= weekStart + 6
          ? 5
          : workingDays(Math.max(from, weekStart), Math.min(to, weekStart + 6));
      if (days > 0) visit(week, days);
    }
  }
}
