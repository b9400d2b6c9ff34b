import { badUserInput } from '@letstalk/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (any version), as every LetsTalk entity id is. */
export const isUuid = (value: string) => UUID.test(value);

/** An id argument: a UUID, lower-cased; anything else is BAD_USER_INPUT. */
export function parseUuid(value: string, field: string): string {
  if (!isUuid(value)) throw badUserInput(`${field} is not a valid id.`, field);
  return value.toLowerCase();
}
