import type { FaultRow, FaultSuiteResult } from './fault-suite.ts';

/** Columns padded to their widest cell; numbers right-aligned. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        /^[-+\d.,% s]+$/.test(cell) && column > 0 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** The process whose memory grew most during a fault, as `gateway-b +12%`. */
function largestGrowth(memory: FaultRow['memory']): string {
  let worst: { name: string; ratio: number } | undefined;
  for (const [name, { before, after }] of memory) {
    if (before === undefined || after === undefined) continue;
    const ratio = after / before - 1;
    if (!worst || ratio > worst.ratio) worst = { name, ratio };
  }
  return worst ? `${worst.name} ${worst.ratio >= 0 ? '+' : ''}${Math.round(worst.ratio * 100)}%` : '-';
}

/** The suite's table: one line per fault, then resident memory per process, then what each problem looked like. */
export function formatFaultSuite(result: FaultSuiteResult): string {
  const table = formatTable(
    [
      'fault',
      'struck',
      'held',
      'sends',
      'stored',
      'delivered',
      'lost',
      'dupl.',
      'gaps',
      'order',
      'err.payl.',
      'unsettled',
      'failed',
      'dead',
      'refetch',
      'pause',
      'recovery',
      'memory',
    ],
    result.rows.map((row) => [
      row.fault,
      row.struck ?? '-',
      seconds(row.heldMs),
      ...[
        row.sends,
        row.stored,
        row.delivered,
        row.lost,
        row.duplicates,
        row.gaps,
        row.outOfOrder,
        row.errorPayloads,
        row.unsettled,
        row.failedJobs,
        row.deadLetters,
        row.refetches,
      ].map(String),
      seconds(row.pauseMs),
      row.recovered ? seconds(row.recovery?.totalMs) : 'NOT',
      largestGrowth(row.memory),
    ]),
  );
  const faults = result.rows.filter((row) => row.memory.size > 0);
  const processes = [...(faults[0]?.memory.keys() ?? [])];
  const memory = formatTable(
    ['resident MB', 'before', ...faults.map((row) => row.fault)],
    processes.map((name) => [
      name,
      (faults[0]?.memory.get(name)?.before ?? 0).toFixed(0),
      ...faults.map((row) => row.memory.get(name)?.after?.toFixed(0) ?? '-'),
    ]),
  );
  const notes = result.rows.flatMap((row) => row.notes.map((note) => `${row.fault}: ${note}`));
  const { final } = result;
  const summary =
    `${final.answered} sends answered (${result.unanswered} unanswered), ${final.stored} stored, ${final.delivered} delivered; ` +
    `lost ${final.lost}, stored twice ${final.storedTwice}, strays ${final.strays}, delivered twice ${final.deliveredTwice}, ` +
    `gaps ${final.gaps}, out of order ${final.outOfOrder}, payloads without a message ${final.errorPayloads}, ` +
    `unsettled ${final.unsettled}, failed jobs ${final.failedJobs}, dead letters ${final.deadLetters.length}; ` +
    `link pages fetched ${final.pagesFetched} (again ${final.refetchedPages}), page images fetched again ${final.refetchedImages} ` +
    `(${final.unexplainedRefetches} that no fault explains), images finished twice ${final.imagesFinishedTwice}`;
  return [table, '', memory, '', ...notes, '', summary, result.passed ? 'PASSED' : 'FAILED'].join('\n');
}
