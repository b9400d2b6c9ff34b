import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '@letstalk/events';
import { startChaosStack, type ChaosStack } from './chaos-stack.ts';
import { startInfrastructure, type Infrastructure } from './infrastructure.ts';
import { LatencyWindow } from './latency-window.ts';
import { startSubscribers, type LiveSubscribers } from './live-subscribers.ts';
import type { LoadOptions } from './options.ts';
import { populate, type ChaosChat } from './population.ts';
import { startSendLoad, type SendLoad } from './send-load.ts';

/** Everything a run of the suite drives: its servers, the stack, the people, the load and the listeners. */
export interface ChaosSession {
  infrastructure: Infrastructure;
  stack: ChaosStack;
  chats: ChaosChat[];
  live: LiveSubscribers;
  load: SendLoad;
  latency: LatencyWindow;
  /** The suite's own connection to NATS (it reads the dead letters). */
  nc: NatsConnection;
  /** Stops the load (waiting for every started send to be answered), then the subscribers. */
  stopLoad: () => Promise<void>;
  /** Stops everything; the logs stay in `infrastructure.logDir`. */
  close: () => Promise<void>;
}

/** Starts the servers and the stack, signs people in, makes the chats, then starts the listeners and the load. */
export async function startSession(options: LoadOptions, say: (line: string) => void): Promise<ChaosSession> {
  const infrastructure = await startInfrastructure();
  say(
    `servers up (NATS ${infrastructure.nats.url}, MariaDB ${infrastructure.mariadb.url}); logs in ${infrastructure.logDir}`,
  );
  const cleanups: (() => Promise<void>)[] = [infrastructure.close];
  const close = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => say(`clean-up: ${String(error)}`));
  };
  try {
    const stack = await startChaosStack(infrastructure);
    cleanups.push(stack.stop);
    say(`stack up: gateways ${stack.gatewayUrls.join(' ')}`);
    const nc = await connectNats(infrastructure.nats.url, 'chaos');
    cleanups.push(() => nc.close());
    const chats = await populate(stack, infrastructure.oidcIssuer, options);
    say(`${options.senders} senders and ${options.subscribers} subscribers in ${chats.length} group chats`);
    const latency = new LatencyWindow();
    let sentAt: SendLoad['sentAt'] = () => undefined;
    const live = startSubscribers(chats, (clientMessageId, receivedAt) => {
      const sent = sentAt(clientMessageId);
      if (sent !== undefined) latency.add(receivedAt - sent);
    });
    cleanups.push(live.stop);
    const load = startSendLoad(chats, infrastructure.web, options);
    sentAt = load.sentAt;
    let loadStopped: Promise<void> | undefined;
    const stopLoad = () => (loadStopped ??= load.stop());
    cleanups.push(stopLoad);
    say(`load: ${options.messagesPerSecond} messages/s`);
    return { infrastructure, stack, chats, live, load, latency, nc, stopLoad, close };
  } catch (error) {
    await close();
    throw error;
  }
}
