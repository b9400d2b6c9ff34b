import type { FuzzValue } from './values.ts';

const isTagged = (value: object, tag: '$enum' | '$raw'): boolean =>
  !Array.isArray(value) && Object.keys(value).length === 1 && tag in value;

/** The value as a GraphQL literal (strings escaped as JSON does, which GraphQL reads the same way). */
export function toLiteral(value: FuzzValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  // A number GraphQL cannot write (1e+21, NaN) is written as JavaScript prints it: a syntax error to find.
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(', ')}]`;
  if (isTagged(value, '$enum')) return (value as { $enum: string }).$enum;
  if (isTagged(value, '$raw')) return (value as { $raw: string }).$raw;
  const fields = Object.entries(value as Record<string, FuzzValue>).map(
    ([name, field]) => `${name}: ${toLiteral(field)}`,
  );
  return `{${fields.join(', ')}}`;
}

/** The value as a variable's JSON value: enum names and raw tokens become strings. */
export function toJson(value: FuzzValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (isTagged(value, '$enum')) return (value as { $enum: string }).$enum;
  if (isTagged(value, '$raw')) return (value as { $raw: string }).$raw;
  return Object.fromEntries(
    Object.entries(value as Record<string, FuzzValue>).map(([name, field]) => [name, toJson(field)]),
  );
}
