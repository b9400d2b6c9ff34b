import { spawn, type ChildProcess } from 'node:child_process';
import { inheritedEnvironment, nodeArguments } from './env.ts';
import { repoRoot } from './subgraphs.ts';

/** How long a started process (or `npm start`) may take to answer `/readyz` with 200. */
const READY_TIMEOUT_MS = 120_000;
/** Characters of a process's output kept to explain why it did not start. */
const OUTPUT_TAIL_CHARS = 8_000;

/** Resolves once `<origin>/readyz` answers 200; rejects with what `failed` says (e.g. that it exited) or after the timeout. */
export async function waitReady(origin: string, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const failure = failed();
    if (failure) throw new Error(failure);
    const ready = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`${origin} was not ready in time`);
    await new Promise((wait) => setTimeout(wait, 300));
  }
}

interface SpawnedService {
  child: ChildProcess;
  /** SIGTERM, resolving once it has exited. */
  stop: () => Promise<void>;
}

/**
 * Starts one LetsTalk process as `npm start` does (`node --import tsx <entry>` from the repository root, with
 * the runner's environment and `env`), and resolves once `<origin>/readyz` answers 200. Rejects, after
 * stopping it, when it exits first or is not ready in time; the error holds the end of its output. For runners
 * that manage each process themselves (extra gateways, the fault suite).
 */
export async function spawnService(
  entry: string,
  env: Record<string, string>,
  options: { origin: string; onOutput?: (text: string) => void },
): Promise<SpawnedService> {
  let tail = '';
  const child = spawn(process.execPath, nodeArguments(entry), {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inheritedEnvironment(), ...env },
  });
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
    options.onOutput?.(text);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitReady(options.origin, () =>
      child.exitCode !== null || child.signalCode !== null
        ? `${entry} exited with ${child.exitCode ?? child.signalCode}:\n${tail}`
        : undefined,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, stop };
}
