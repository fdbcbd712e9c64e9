"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HOLIDAY_HORIZON_DAYS = void 0;
exports.holidaysFrom = holidaysFrom;
const dates_1 = require("./dates");
const MONDAY = 1;
const THURSDAY = 4;
const FRIDAY = 5;
const easter = (offset) => (year) => (0, dates_1.addDays)((0, dates_1.easterSunday)(year), offset);
const fixed = (month, day) => (year) => (0, dates_1.isoDate)(year, month, day);
const nth = (month, weekday, n) => (year) => (0, dates_1.nthWeekday)(year, month, weekday, n);
/** Firm-wide days first: a location's substitute day moves past them (UK Boxing Day after Christmas). */
const RULES = [
    { name: "New Year's Day", date: fixed(1, 1), weekend: 'nearest weekday' },
    { name: 'Firm Wellbeing Day', date: nth(4, FRIDAY, 1), weekend: 'skip' },
    { name: 'Christmas Day', date: fixed(12, 25), weekend: 'nearest weekday' },
    { location: 'London', name: 'Good Friday', date: easter(-2), weekend: 'skip' },
    { location: 'London', name: 'Easter Monday', date: easter(1), weekend: 'skip' },
    { location: 'London', name: 'Early May Bank Holiday', date: nth(5, MONDAY, 1), weekend: 'skip' },
    { location: 'London', name: 'Spring Bank Holiday', date: nth(5, MONDAY, -1), weekend: 'skip' },
    { location: 'London', name: 'Summer Bank Holiday', date: nth(8, MONDAY, -1), weekend: 'skip' },
    { location: 'London', name: 'Boxing Day', date: fixed(12, 26), weekend: 'next weekday' },
    { location: 'New York', name: 'Martin Luther King Jr. Day', date: nth(1, MONDAY, 3), weekend: 'skip' },
    { location: 'New York', name: "Presidents' Day", date: nth(2, MONDAY, 3), weekend: 'skip' },
    { location: 'New York', name: 'Memorial Day', date: nth(5, MONDAY, -1), weekend: 'skip' },
    { location: 'New York', name: 'Juneteenth', date: fixed(6, 19), weekend: 'nearest weekday' },
    { location: 'New York', name: 'Independence Day', date: fixed(7, 4), weekend: 'nearest weekday' },
    { location: 'New York', name: 'Labor Day', date: nth(9, MONDAY, 1), weekend: 'skip' },
    { location: 'New York', name: 'Thanksgiving', date: nth(11, THURSDAY, 4), weekend: 'skip' },
    {
        location: 'New York',
        name: 'Day after Thanksgiving',
        date: (year) => (0, dates_1.addDays)((0, dates_1.nthWeekday)(year, 11, 4, 4), 1),
        weekend: 'skip'
    },
    { location: 'Berlin', name: "International Women's Day", date: fixed(3, 8), weekend: 'skip' },
    { location: 'Berlin', name: 'Good Friday', date: easter(-2), weekend: 'skip' },
    { location: 'Berlin', name: 'Easter Monday', date: easter(1), weekend: 'skip' },
    { location: 'Berlin', name: 'Labour Day', date: fixed(5, 1), weekend: 'skip' },
    { location: 'Berlin', name: 'Ascension Day', date: easter(39), weekend: 'skip' },
    { location: 'Berlin', name: 'Whit Monday', date: easter(50), weekend: 'skip' },
    { location: 'Berlin', name: 'German Unity Day', date: fixed(10, 3), weekend: 'skip' },
    { location: 'Berlin', name: 'Second Day of Christmas', date: fixed(12, 26), weekend: 'skip' }
];
/** Days ahead of `today` the holiday calendar covers. */
exports.HOLIDAY_HORIZON_DAYS = 182;
function observe(date, rule, taken) {
    if (!(0, dates_1.isWeekend)(date))
        return date;
    switch (rule.weekend) {
        case 'skip':
            return undefined;
        case 'nearest weekday':
            return (0, dates_1.addDays)(date, (0, dates_1.dayOfWeek)(date) === 6 ? -1 : 1);
        case 'next weekday': {
            let day = date;
            while ((0, dates_1.isWeekend)(day) || taken.has(day))
                day = (0, dates_1.addDays)(day, 1);
            return day;
        }
    }
}
/** Holidays from `today` to HOLIDAY_HORIZON_DAYS later, ordered by date, then name. */
function holidaysFrom(today) {
    const firstYear = Number(today.slice(0, 4));
    const holidays = [];
    for (const year of [firstYear, firstYear + 1]) {
        const firmWide = new Set();
        for (const rule of RULES) {
            const taken = rule.location ? firmWide : new Set();
            const date = observe(rule.date(year), rule, taken);
            if (!date)
                continue;
            if (!rule.location)
                firmWide.add(date);
            const offset = (0, dates_1.daysBetween)(today, date);
            if (offset < 0 || offset > exports.HOLIDAY_HORIZON_DAYS)
                continue;
            holidays.push({ name: rule.location ? `[${rule.location}] ${rule.name}` : rule.name, date });
        }
    }
    return holidays.sort((a, b) => (a.date === b.date ? compare(a.name, b.name) : compare(a.date, b.date)));
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
