// The sweep's schedule: a POSIX cron expression as GitHub Actions reads it, checked here so a typo is refused by
// `ci init` (exit 2) rather than found when the workflow never runs. GitHub takes the five POSIX fields with
// `*`, `,`, `-` and `/`, month and weekday names, and no `@weekly`-style macros
// (https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows#schedule).
import { shown } from '../domain/shown.ts';

/** Weekly, Monday 04:17 UTC: off the top of the hour, when GitHub delays scheduled runs most (same page). */
export const DEFAULT_CRON = '17 4 * * 1';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** The first name stands for this number (JAN = 1, SUN = 0). */
  base?: number;
}
const FIELDS: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, base: 1 },
  { name: 'day of week', min: 0, max: 6, names: DAYS, base: 0 },
];

function value(raw: string, f: Field): number | undefined {
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const i = f.names?.indexOf(raw.toUpperCase()) ?? -1;
  return i === -1 ? undefined : i + (f.base ?? 0);
}

/** Why one field is wrong, or undefined when it is right. */
function fieldProblem(raw: string, f: Field): string | undefined {
  for (const part of raw.split(',')) {
    const m = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return `${f.name} ${shown(part)} is not a number, a range (a-b), * or a step (…/n)`;
    if (m[2] !== undefined && Number(m[2]) < 1) return `${f.name} step ${shown(m[2])} must be 1 or more`;
    if (m[1] === '*') continue;
    const ends = m[1]!.split('-').map((e) => value(e, f));
    if (ends.some((n) => n === undefined || n < f.min || n > f.max)) return `${f.name} ${shown(part)} is outside ${f.min}-${f.max}${f.names ? ` (or ${f.names[0]}-${f.names[f.names.length - 1]})` : ''}`;
    if (ends.length === 2 && ends[0]! > ends[1]!) return `${f.name} range ${shown(part)} runs backwards`;
  }
  return undefined;
}

/** The expression, normalised to single spaces; throws with every field's problem. */
export function parseCron(raw: string): string {
  const fields = raw.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`--cron ${shown(raw)} must have 5 fields (minute hour day-of-month month day-of-week), e.g. ${shown(DEFAULT_CRON)}; GitHub takes no @weekly-style macros`);
  const problems = fields.flatMap((x, i) => fieldProblem(x, FIELDS[i]!) ?? []);
  if (problems.length) throw new Error(`--cron ${shown(raw)}: ${problems.join('; ')}`);
  return fields.join(' ');
}
