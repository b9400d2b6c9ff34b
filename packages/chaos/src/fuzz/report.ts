import type { FuzzReport } from './pass.ts';

const REPRODUCE = 'npm run chaos -- fuzz';

/** The report of a pass as printed: figures, the slowest cases, then every defect with its request. */
export function formatReport(report: FuzzReport, extra: string[] = []): string {
  const lines = [
    `Fuzz pass: seed ${report.seed}, ${report.cases} cases in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  by transport: ${Object.entries(report.byTransport)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ')}`,
    `  generated operations: ${Object.entries(report.byOperation)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(
        ', ',
      )}${report.unsent > 0 ? `; ${report.unsent} not sent or cut while sent (an invalid header; a head over 16 KiB)` : ''}`,
    `  outcomes: ${Object.entries(report.byOutcome)
      .sort(([, a], [, b]) => b - a)
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(', ')}`,
    `  slowest: ${report.slowest.map(({ index, kind, ms }) => `#${index} ${kind} ${ms} ms`).join(', ')}`,
    ...extra.map((line) => `  ${line}`),
  ];
  if (report.stoppedBy) lines.push(`  STOPPED: ${report.stoppedBy}`);
  lines.push(`  defects: ${report.defects.length}`);
  for (const defect of report.defects) {
    lines.push(
      '',
      `--- case ${defect.index} (${defect.kind}${defect.field ? `, ${defect.field}` : ''}): ${defect.problems.join('; ')}`,
      `reproduce: ${REPRODUCE} --seed ${report.seed} --case ${defect.index}`,
      'request:',
      defect.request,
      'answer:',
      defect.answer,
    );
  }
  return lines.join('\n');
}
