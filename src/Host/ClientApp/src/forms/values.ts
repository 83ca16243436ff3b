// How the server's form validator reads JSON values (src/Workflows/Forms/JsonValues.cs, FieldChecker's date parsing):
// emptiness, equality with numbers by value, options written as text, dates and date-times.
import type { FormField, FormOption } from './schema';

export function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

export const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Deep equality of JSON values. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => same(item, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const left = Object.entries(a as Record<string, unknown>);
    const right = b as Record<string, unknown>;
    return left.length === Object.keys(right).length && left.every(([k, v]) => k in right && same(v, right[k]));
  }
  return false;
}

/** A value as the server writes it in a message: text as it is, anything else as JSON. */
export const display = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The option a value stands for: the same value, or (a UI may send "1" for the option 1) the option written as the text. */
export function findOption(field: FormField, value: unknown): FormOption | undefined {
  const options = field.options ?? [];
  const exact = options.find((o) => same(o.value, value));
  if (exact || typeof value !== 'string') return exact;
  return options.find((o) => display(o.value) === value.trim());
}

/** A value as the user knows it: its option's label, or the value itself. */
export function valueText(field: FormField | undefined, value: unknown): string {
  if (value === null || value === undefined) return '空';
  return field?.options?.find((o) => same(o.value, value))?.label ?? display(value);
}

function dayNumber(year: number, month: number, day: number): number | null {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const valid = year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date.getTime() / 86_400_000 : null;
}

/** A YYYY-MM-DD date of the calendar, as a day number; null for anything else. */
export function parseDate(value: unknown): number | null {
  const match = typeof value === 'string' ? /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value.trim()) : null;
  return match ? dayNumber(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

/** YYYY-MM-DD HH:mm[:ss] (or with T), Beijing time unless it names Z or an offset, as milliseconds; null for anything else. */
export function parseDateTime(value: unknown): number | null {
  const match = typeof value === 'string'
    ? /^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}:[0-9]{2})?$/.exec(value.trim())
    : null;
  if (!match) return null;
  const day = dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  const zone = match[7];
  const offset = !zone ? 480 : zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (day === null || hour > 23 || minute > 59 || second > 59 || Math.abs(offset) > 14 * 60) return null;
  return day * 86_400_000 + ((hour * 60 + minute - offset) * 60 + second) * 1000;
}

/** Text that the server reads as a number: a sign, digits and a decimal point (no exponent, no hexadecimal, no Infinity). */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/.test(value.trim())) return null;
  return Number(value.trim());
}
