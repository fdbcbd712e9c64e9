import LOCALE from '@salesforce/i18n/locale';

/**
 * Formatting shared by the Handoff components. Apex sends dates as ISO strings ("2026-11-23"); they are calendar
 * days, so they are formatted in UTC and never shift with the user's time zone.
 */

const hoursFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const countFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const weekFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dateFormat = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC'
});
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit'
});

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const isBlank = (value) => value === null || value === undefined || value === '';

/**
 * @param {number} value hours
 * @returns {string} "12.5", or "" for no value
 */
export function formatHours(value) {
  return isBlank(value) ? '' : hoursFormat.format(value);
}

/**
 * @param {number} value a count
 * @returns {string} "1,480", or "" for no value
 */
export function formatCount(value) {
  return isBlank(value) ? '' : countFormat.format(value);
}

/**
 * @param {string} iso a calendar date, "2026-11-23"
 * @returns {string} the day and month, e.g. "Nov 23"
 */
export function formatWeek(iso) {
  return isBlank(iso) ? '' : weekFormat.format(new Date(`${iso}T00:00:00Z`));
}

/**
 * @param {string} iso a calendar date, "2026-11-23"
 * @returns {string} e.g. "Nov 23, 2026"
 */
export function formatDate(iso) {
  return isBlank(iso) ? '' : dateFormat.format(new Date(`${iso}T00:00:00Z`));
}

/**
 * @param {string} iso a date and time
 * @returns {string} the date and time in the user's time zone
 */
export function formatDateTime(iso) {
  return isBlank(iso) ? '' : dateTimeFormat.format(new Date(iso));
}

/**
 * How long ago something happened, coarse enough to read at a glance.
 * @param {string} iso when it happened
 * @param {number} now the current time in milliseconds
 * @returns {string} "just now", "12 min ago", "3 h ago", "2 days ago"; "" for no value
 */
export function formatAge(iso, now = Date.now()) {
  if (isBlank(iso)) return '';
  const elapsed = Math.max(0, now - new Date(iso).getTime());
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < 2 * DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  return `${Math.floor(elapsed / DAY)} days ago`;
}

/**
 * @param {number} ms a duration in milliseconds
 * @returns {string} "850 ms", "42 s", "2 min 5 s", "1 h 3 min"; "" for no value
 */
export function formatDuration(ms) {
  if (isBlank(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
}

/**
 * @param {string[]} items words
 * @returns {string} "a", "a and b", "a, b and c"
 */
export function joinList(items) {
  if (!items?.length) return '';
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
