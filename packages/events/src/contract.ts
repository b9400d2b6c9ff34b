import type { z } from 'zod';

/** A durable event: its subject, a version bumped on breaking change, and a schema for its payload. */
export interface EventContract<Schema extends z.ZodType = z.ZodType> {
  subject: string;
  version: number;
  schema: Schema;
}

export type EventPayload<Contract extends EventContract> = z.infer<Contract['schema']>;

/** The bytes on the wire: `{ "v": version, "data": payload }`. */
export interface EventEnvelope<Data = unknown> {
  v: number;
  data: Data;
}

export function defineEvent<Schema extends z.ZodType>(subject: string, version: number, schema: Schema) {
  return { subject, version, schema } satisfies EventContract<Schema>;
}

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
