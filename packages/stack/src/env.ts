import { delimiter } from 'node:path';
/**
 * The stack runner's view of its own environment. Processes it starts inherit it (each validates what it
 * reads in its own env.ts), and servers it looks for are searched on its PATH.
 */
export const inheritedEnvironment = (): NodeJS.ProcessEnv => ({ ...process.env });

/** Folders on the runner's PATH. */
export const executableSearchPath = (): string[] => (process.env.PATH ?? '').split(delimiter).filter(Boolean);

/**
 * Node's arguments for a process of the stack running `entry`. With `LETSTALK_CPU_PROF_DIR` set in the
 * runner's environment, each process writes a V8 CPU profile there when it stops (Node refuses `--cpu-prof`
 * in NODE_OPTIONS); see docs/benchmarks.md.
 */
export function nodeArguments(entry: string): string[] {
  const profileDir = process.env.LETSTALK_CPU_PROF_DIR;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return [...profiling, '--import', 'tsx', entry];
}
