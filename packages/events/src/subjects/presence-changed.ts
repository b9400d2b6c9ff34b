import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * A person's presence may have changed. Written by a gateway (straight to JetStream: it has no database) when
 * the person's state on it changed (`cause: CONNECTIONS`: first socket opened, last one closed, all idle, active
 * again; `gatewayId` and `status` say which and what), and by the message subgraph's outbox when the person hid
 * or showed their presence (`cause: HIDDEN`). The message subgraph reads the presence bucket again, whatever the
 * event says, so events may come twice, late or out of order.
 */
export const presenceChanged = defineEvent(
  'presence.changed',
  1,
  z.object({
    userId: z.string(),
    cause: z.enum(['CONNECTIONS', 'HIDDEN']),
    gatewayId: z.string().optional(),
    status: z.enum(['ONLINE', 'AWAY', 'OFFLINE']).optional(),
    at: z.iso.datetime(),
  }),
);
