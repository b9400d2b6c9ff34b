import type { NatsConnection } from '@nats-io/transport-node';
import {
  ensurePresenceBucket,
  presenceBucket,
  presenceChanged,
  publishEventNow,
  type PresenceBucket,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { idleCheckIntervalMs, refreshIntervalMs, statusOf, type GatewayStatus } from './presence-state.ts';

/** One person's sockets on this gateway, when each last heard from its client, and what the bucket was told. */
interface Person {
  sockets: Map<object, number>;
  status: GatewayStatus;
  /** Changes of `status` so far, and how many of them an event announced (the rest go with the next write). */
  changes: number;
  announced: number;
}

/**
 * What this gateway knows of presence: the signed-in people with graphql-ws sockets here. It keeps a key per
 * person in the presence bucket (`<userId>.<gatewayId>`: ONLINE or AWAY here) while they have a socket, written
 * again every third of the TTL, and removed when their last socket closes; every change of their state here
 * (first socket, last socket, all idle, active again) is a `presence.changed` event, from which the message
 * subgraph works out what everyone else sees. Activity is any message the client sends on a socket (an
 * operation, a graphql-ws ping: the SDK pings when its user does something).
 */
export class PresenceTracker {
  private readonly people = new Map<string, Person>();
  /** Writes for one person run one after another, in the order asked for, across their sockets coming and going. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly ownerOf = new WeakMap<object, string>();
  private readonly bucket: PresenceBucket;
  private readonly timers: NodeJS.Timeout[] = [];
  private sequence = 0;
  /** A write failed: the bucket is made again (if missing) before the next refresh. */
  private writeFailed = false;

  constructor(
    private readonly options: {
      nc: NatsConnection;
      /** This process's id among the gateways (a restarted gateway is a new one). */
      gatewayId: string;
      ttlMs: number;
      /** The presence bucket's name (PRESENCE_BUCKET). */
      bucket: string;
      awayAfterMs: number;
      log: Logger;
    },
  ) {
    this.bucket = presenceBucket(options.nc, options.bucket);
  }

  /** Makes the bucket and starts refreshing keys and checking idleness. */
  async start(): Promise<void> {
    await ensurePresenceBucket(this.options.nc, this.options.ttlMs, this.options.bucket);
    const refresh = setInterval(() => this.refreshAll(), refreshIntervalMs(this.options.ttlMs));
    const idle = setInterval(() => this.checkIdle(), idleCheckIntervalMs(this.options.awayAfterMs));
    refresh.unref();
    idle.unref();
    this.timers.push(refresh, idle);
  }

  /** A socket of `userId` was accepted (its `connection_init` checked). */
  connected(userId: string, socket: object): void {
    this.ownerOf.set(socket, userId);
    let person = this.people.get(userId);
    if (!person) {
      person = { sockets: new Map([[socket, Date.now()]]), status: 'ONLINE', changes: 0, announced: 0 };
      this.people.set(userId, person);
      return this.write(userId, person, 'ONLINE');
    }
    person.sockets.set(socket, Date.now());
    this.update(userId, person);
  }

  /** The client of a socket sent something. */
  active(socket: object): void {
    const userId = this.ownerOf.get(socket);
    const person = userId === undefined ? undefined : this.people.get(userId);
    if (!userId || !person?.sockets.has(socket)) return;
    person.sockets.set(socket, Date.now());
    if (person.status === 'AWAY') this.update(userId, person);
  }

  /** A socket closed (any number of times: only the first counts). */
  disconnected(socket: object): void {
    const userId = this.ownerOf.get(socket);
    const person = userId === undefined ? undefined : this.people.get(userId);
    if (!userId || !person?.sockets.delete(socket)) return;
    if (person.sockets.size > 0) return this.update(userId, person);
    this.people.delete(userId);
    void this.leave(userId);
  }

  /** People with a socket here. */
  get size(): number {
    return this.people.size;
  }

  /** Removes every key of this gateway and says so (a clean stop; a crash leaves them to expire). */
  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    const leaving = [...this.people];
    this.people.clear();
    await Promise.all(leaving.map(([userId]) => this.leave(userId)));
    // Leaves started by sockets that closed just before (their chains) finish too, before NATS is drained.
    await Promise.all([...this.chains.values()]);
  }

  /** Removes the person's key here and says they left (their last socket here closed). */
  private leave(userId: string): Promise<void> {
    return this.enqueue(userId, async () => {
      await this.bucket.remove(userId, this.options.gatewayId);
      await this.announce(userId, 'OFFLINE');
    });
  }

  /** Writes a person's state when it changed. */
  private update(userId: string, person: Person): void {
    const status = statusOf(person.sockets.values(), Date.now(), this.options.awayAfterMs);
    if (status !== person.status) this.write(userId, person, status);
  }

  private write(userId: string, person: Person, status: GatewayStatus): void {
    person.status = status;
    person.changes += 1;
    void this.sync(userId, person);
  }

  /** Writes the person's key with their state now, and announces a change not announced yet. */
  private sync(userId: string, person: Person): Promise<void> {
    return this.enqueue(userId, async () => {
      // Someone whose last socket closed meanwhile has no key to write.
      if (this.people.get(userId) !== person) return;
      await this.bucket.put(userId, this.options.gatewayId, person.status);
      const changes = person.changes;
      if (changes === person.announced) return;
      await this.announce(userId, person.status);
      person.announced = changes;
    });
  }

  /** Tells the message subgraph (durably) that the person's state here changed. */
  private announce(userId: string, status: GatewayStatus | 'OFFLINE'): Promise<void> {
    const { nc, gatewayId } = this.options;
    const at = new Date().toISOString();
    const data = { userId, cause: 'CONNECTIONS' as const, gatewayId, status, at };
    return publishEventNow(nc, presenceChanged, data, `presence:${gatewayId}:${++this.sequence}`);
  }

  private enqueue(userId: string, work: () => Promise<void>): Promise<void> {
    const chain = (this.chains.get(userId) ?? Promise.resolve()).then(work).catch((error: unknown) => {
      // NATS away, or the bucket lost (a server replaced without its volume): the next refresh writes again.
      this.writeFailed = true;
      this.options.log.warn({ err: error, userId }, 'could not write presence; writing it again at the next refresh');
    });
    this.chains.set(userId, chain);
    void chain.then(() => {
      if (this.chains.get(userId) === chain) this.chains.delete(userId);
    });
    return chain;
  }

  private refreshAll(): void {
    if (this.people.size === 0) return;
    // After a failure (the bucket lost with a NATS server replaced without its volume), it is made again first.
    const { nc, ttlMs, bucket } = this.options;
    const ready = this.writeFailed ? ensurePresenceBucket(nc, ttlMs, bucket) : Promise.resolve();
    this.writeFailed = false;
    void ready
      .catch(() => undefined)
      .then(() => {
        for (const [userId, person] of this.people) void this.sync(userId, person);
      });
  }

  private checkIdle(): void {
    for (const [userId, person] of this.people) this.update(userId, person);
  }
}
