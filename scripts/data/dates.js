"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseDate = parseDate;
exports.addDays = addDays;
exports.addWeeks = addWeeks;
exports.daysBetween = daysBetween;
exports.dayOfWeek = dayOfWeek;
exports.isWeekend = isWeekend;
exports.mondayOf = mondayOf;
exports.isoDate = isoDate;
exports.nthWeekday = nthWeekday;
exports.easterSunday = easterSunday;
/**
 * Calendar dates as ISO strings ('2026-11-23'), computed in UTC so time zones never shift a day.
 */
const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function parseDate(iso) {
    if (!ISO_DATE.test(iso))
        throw new Error(`not an ISO date (YYYY-MM-DD): ${iso}`);
    const time = Date.parse(`${iso}T00:00:00Z`);
    if (Number.isNaN(time) || formatTime(time) !== iso)
        throw new Error(`not a calendar date: ${iso}`);
    return time;
}
function formatTime(time) {
    return new Date(time).toISOString().slice(0, 10);
}
function addDays(iso, days) {
    return formatTime(parseDate(iso) + days * DAY_MS);
}
function addWeeks(iso, weeks) {
    return addDays(iso, weeks * 7);
}
/** Days from `from` to `to` (negative when `to` is earlier), like Apex's Date.daysBetween. */
function daysBetween(from, to) {
    return Math.round((parseDate(to) - parseDate(from)) / DAY_MS);
}
/** 0 = Sunday ... 6 = Saturday. */
function dayOfWeek(iso) {
    return new Date(parseDate(iso)).getUTCDay();
}
function isWeekend(iso) {
    const day = dayOfWeek(iso);
    return day === 0 || day === 6;
}
/** The Monday of the week `iso` falls in (weeks run Monday to Sunday). */
function mondayOf(iso) {
    return addDays(iso, -((dayOfWeek(iso) + 6) % 7));
}
function isoDate(year, month, day) {
    return formatTime(Date.UTC(year, month - 1, day));
}
/** The n-th (1-based) given weekday of a month; n = -1 is the last one. */
function nthWeekday(year, month, weekday, n) {
    if (n > 0) {
        const first = isoDate(year, month, 1);
        return addDays(first, ((weekday - dayOfWeek(first) + 7) % 7) + (n - 1) * 7);
    }
    const last = isoDate(year, month + 1, 0);
    return addDays(last, -((dayOfWeek(last) - weekday + 7) % 7));
}
/** Easter Sunday (Gregorian calendar, anonymous algorithm). */
function easterSunday(year) {
    const a = year % 19;
    const b = Math.floor(year / 100);
    const c = year % 100;
    const d = Math.floor(b / 4);
    const e = b % 4;
    const f = Math.floor((b + 8) / 25);
    const g = Math.floor((b - f + 1) / 3);
    const h = (19 * a + b - d - g + 15) % 30;
    const i = Math.floor(c / 4);
    const k = c % 4;
    const l = (32 + 2 * e + 2 * i - h - k) % 7;
    const m = Math.floor((a + 11 * h + 22 * l) / 451);
    const month = Math.floor((h + l - 7 * m + 114) / 31);
    const day = ((h + l - 7 * m + 114) % 31) + 1;
    return isoDate(year, month, day);
}
