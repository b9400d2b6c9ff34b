import { describe, expect, it } from 'vitest';
import { runFaultSuite } from '../src/fault-suite.ts';
import { DEFAULT_FAULT_SUITE } from '../src/options.ts';
import { formatFaultSuite } from '../src/report.ts';

/** The whole run: servers and stack started, four faults struck under load, every send answered, checked. */
const SHORT_SUITE_TIMEOUT_MS = 240_000;

describe('the fault suite, short (npm run chaos is the full one)', () => {
  it(
    'loses, duplicates and leaves unsettled nothing when the message subgraph, a gateway, NATS and MariaDB are killed under load',
    async () => {
      const result = await runFaultSuite(
        {
          ...DEFAULT_FAULT_SUITE,
          messagesPerSecond: 10,
          senders: 6,
          chats: 3,
          subscribers: 20,
          faults: ['kill:message', 'kill:gateway-a', 'kill:nats', 'kill:mariadb'],
          holdMs: 4_000,
          warmupMs: 5_000,
          settleMs: 5_000,
        },
        () => undefined,
      );
      const report = formatFaultSuite(result);
      console.log(report);

      // Every fault struck while messages flowed: a check of nothing would pass whatever happened.
      for (const row of result.rows.slice(0, -1)) {
        expect(row.sends, `${row.fault}: sends\n${report}`).toBeGreaterThan(0);
        expect(row.delivered, `${row.fault}: deliveries\n${report}`).toBeGreaterThan(0);
        expect(row.recovered, `${row.fault}: recovered\n${report}`).toBe(true);
      }
      expect(result.unanswered, report).toBe(0);
      expect(result.final.lost, report).toBe(0);
      expect(result.final.storedTwice + result.final.strays, report).toBe(0);
      expect(result.final.gaps, report).toBe(0);
      expect(result.final.deliveredTwice, report).toBe(0);
      expect(result.final.outOfOrder, report).toBe(0);
      expect(result.final.unsettled, report).toBe(0);
      expect(result.final.deadLetters, report).toEqual([]);
      expect(result.passed, report).toBe(true);
    },
    SHORT_SUITE_TIMEOUT_MS,
  );
});
