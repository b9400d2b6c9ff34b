import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { listenOnLoopback, sendJson } from './http.ts';

/** A name server for tests: real DNS over UDP on 127.0.0.1, answering from a table (or not at all). */
export interface FakeDns {
  /** `127.0.0.1:<port>`, for `createDnsResolver({ servers: [...] })` or `PREVIEW_DNS_SERVERS`. */
  server: string;
  /** Questions received so far, in order (`A site.example`). */
  queries: string[];
  /** `GET <queriesUrl>` answers {@link queries} as JSON, for tests in another process than the server's. */
  queriesUrl: string;
  close: () => Promise<void>;
}

/**
 * `records` maps a name to its addresses (IPv4 answer A questions, IPv6 AAAA; a name with none of a family
 * answers that question with no record). A name that is not in the table gets NXDOMAIN (so `{}` knows no
 * name at all); `silent` names (or every name when `records` is `'black-hole'`) get no answer at all, as from
 * a server that drops queries. `silent` entries may name one question only: `'AAAA site.example'`.
 */
export async function startFakeDns(
  records: Record<string, string[]> | 'black-hole',
  silent: string[] = [],
): Promise<FakeDns> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (message, from) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    queries.push(`${question.type} ${name}`);
    if (records === 'black-hole' || silent.includes(name) || silent.includes(`${question.type} ${name}`)) return;
    const addresses = records[name];
    const family = question.type === 'AAAA' ? 6 : 4;
    const answer = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      // The low four bits are the response code: 3 is NXDOMAIN.
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (addresses ? 0 : 3),
      questions: [question],
      answers: (addresses ?? [])
        .filter((address) => net.isIP(address) === family)
        .map((address) => ({ type: family === 6 ? 'AAAA' : 'A', name: question.name, ttl: 60, data: address })),
    });
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const control = await listenOnLoopback((_req, res) => sendJson(res, 200, queries));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    queries,
    queriesUrl: control.url,
    close: async () => {
      await control.close();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** The questions a fake name server has received so far (`A site.example`), read through its {@link FakeDns.queriesUrl}. */
export async function fakeDnsQueries(queriesUrl: string): Promise<string[]> {
  return (await (await fetch(queriesUrl)).json()) as string[];
}
