import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '@letstalk/events';
import { startChaosStack, type ChaosStack } from './chaos-stack.ts';
import { startInfrastructure, type Infrastructure } from './infrastructure.ts';
import { LatencyWindow } from './latency-window.ts';
import { startSubscribers, type LiveSubscribers } from './live-subscribers.ts';
import type { LoadOptions, TargetName } from './options.ts';
import { populate, type ChaosChat } from './population.ts';
import { startScaledChaosStack } from './scaled-chaos-stack.ts';
import { startSendLoad, type SendLoad } from './send-load.ts';
import { startWebFront, type WebFront } from './web-front.ts';

/** A fault's span: from its strike until the stack had recovered (or the wait for it ended). */
export interface FaultWindow {
  target: TargetName;
  from: number;
  to: number;
}

/** Everything a run of the suite drives: its servers, the stack, the people, the load and the listeners. */
export interface ChaosSession {
  infrastructure: Infrastructure;
  stack: ChaosStack;
  /** The fake web as the stack reaches it (it notes which page was fetched when). */
  web: WebFront;
  chats: ChaosChat[];
  live: LiveSubscribers;
  load: SendLoad;
  latency: LatencyWindow;
  /** The suite's own connection to the stack's NATS (it reads the dead letters). */
  nc: NatsConnection;
  /** The faults struck so far, from strike to recovery (the fault suite adds each). */
  faultWindows: FaultWindow[];
  /** Stops the load (waiting for every started send to be answered), then the subscribers. */
  stopLoad: () => Promise<void>;
  /** Stops everything; the logs stay in `infrastructure.logDir`. */
  close: () => Promise<void>;
}

/**
 * Starts the servers and the stack (the one-of-each, or with `scaled` the scale-out one, which brings its own
 * NATS and MariaDB), signs people in, makes the chats, then starts the listeners and the load.
 */
export async function startSession(options: LoadOptions, say: (line: string) => void): Promise<ChaosSession> {
  const infrastructure = await startInfrastructure({ servers: !options.scaled });
  const { servers } = infrastructure;
  say(
    `${servers ? `servers up (NATS ${servers.nats.url}, MariaDB ${servers.mariadb.url})` : 'fakes up'}; logs in ${infrastructure.logDir}`,
  );
  const cleanups: (() => Promise<void>)[] = [infrastructure.close];
  const close = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => say(`clean-up: ${String(error)}`));
  };
  try {
    const web = await startWebFront(infrastructure.web);
    cleanups.push(web.close);
    const stack = await (options.scaled ? startScaledChaosStack : startChaosStack)(infrastructure);
    cleanups.push(stack.stop);
    say(
      `${options.scaled ? 'scale-out stack' : 'stack'} up: gateways ${stack.gatewayUrls.join(' ')}; ` +
        `${stack.targets.size} processes and servers (${[...stack.targets.keys()].join(', ')})`,
    );
    const nc = await connectNats(stack.natsUrl, 'chaos');
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
    const load = startSendLoad(chats, web, options);
    sentAt = load.sentAt;
    let loadStopped: Promise<void> | undefined;
    const stopLoad = () => (loadStopped ??= load.stop());
    cleanups.push(stopLoad);
    say(`load: ${options.messagesPerSecond} messages/s`);
    return { infrastructure, stack, web, chats, live, load, latency, nc, faultWindows: [], stopLoad, close };
  } catch (error) {
    await close();
    throw error;
  }
}
