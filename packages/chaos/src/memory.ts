import { readFileSync } from 'node:fs';
import type { ChaosStack } from './chaos-stack.ts';

/** Resident memory of a process in MB (VmRSS in `/proc/<pid>/status`), or undefined when it does not run. */
function residentMegabytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kilobytes === undefined ? undefined : Number(kilobytes) / 1024;
  } catch {
    return undefined;
  }
}

/** Resident memory of every process of the stack, NATS and MariaDB included. */
export function sampleMemory(stack: ChaosStack): Map<string, number | undefined> {
  return new Map([...stack.targets].map(([name, target]) => [name, residentMegabytes(target.pid())]));
}
