import type { z } from 'zod';

/**
 * A durable event: its subject, a version bumped on breaking change, and a schema for its payload. With
 * `subjectTokens`, each event is published on `<subject>.<token>...`, so a consumer that wants only some of
 * them filters at NATS (see startEventConsumer's `filter`) instead of receiving every one to ignore it.
 */
export interface EventContract<Schema extends z.ZodType = z.ZodType> {
  subject: string;
  version: number;
  schema: Schema;
  subjectTokens?: (data: z.infer<Schema>) => readonly string[];
}

export type EventPayload<Contract extends EventContract> = z.infer<Contract['schema']>;

/** The bytes on the wire: `{ "v": version, "data": payload }`. */
export interface EventEnvelope<Data = unknown> {
  v: number;
  data: Data;
}

export function defineEvent<Schema extends z.ZodType>(
  subject: string,
  version: number,
  schema: Schema,
  subjectTokens?: (data: z.infer<Schema>) => readonly string[],
): EventContract<Schema> {
  return subjectTokens ? { subject, version, schema, subjectTokens } : { subject, version, schema };
}

/** The subject one event of a contract is published on (see EventContract.subjectTokens). */
export function subjectOf<Contract extends EventContract>(contract: Contract, data: EventPayload<Contract>): string {
  return contract.subjectTokens ? [contract.subject, ...contract.subjectTokens(data)].join('.') : contract.subject;
}

/** The filter that takes every event of a contract. */
export const everySubjectOf = (contract: EventContract) =>
  contract.subjectTokens ? `${contract.subject}.>` : contract.subject;

/** Parses and validates a received message against its contract; throws on an unknown version or bad shape. */
export function decodeEvent<Contract extends EventContract>(
  contract: Contract,
  bytes: Uint8Array,
): EventPayload<Contract> {
  const envelope = JSON.parse(new TextDecoder().decode(bytes)) as EventEnvelope;
  if (envelope.v !== contract.version) {
    throw new Error(`${contract.subject}: unsupported version ${String(envelope.v)}`);
  }
  return contract.schema.parse(envelope.data) as EventPayload<Contract>;
}
