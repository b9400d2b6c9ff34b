import { requireServices } from './services.ts';

/** Fails the run at once, saying what to start, when MariaDB or NATS is missing. */
export default async function setup(): Promise<void> {
  await requireServices();
}
