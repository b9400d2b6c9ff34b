import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/slow-service.ts', import.meta.url));

/** Starts the fixture service; resolves once it listens. */
async function startService(timeoutMs: number, mode?: 'hang') {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(timeoutMs), ...(mode ? [mode] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    void exited.then((code) => reject(new Error(`the service exited (${code}) before listening:\n${output}`)));
  });
  // runService takes the service as started once start() returns, a moment after it logs the port.
  await new Promise((wait) => setTimeout(wait, 100));
  /** Resolves once the service has written `text`. */
  const said = async (text: string) => {
    while (!output.includes(text)) await new Promise((wait) => setTimeout(wait, 20));
  };
  return { child, port, exited, output: () => output, said };
}

describe('runService stopping on a signal', () => {
  it('finishes the request in flight, refuses new connections, and exits 0', async () => {
    const service = await startService(5_000);
    const inFlight = fetch(`http://127.0.0.1:${service.port}/slow`).then(async (response) => ({
      status: response.status,
      body: await response.text(),
    }));
    await new Promise((wait) => setTimeout(wait, 200));
    service.child.kill('SIGTERM');
    // Once it says so, the listener is closed (the same turn of its event loop).
    await service.said('SIGTERM: stopping');
    await expect(fetch(`http://127.0.0.1:${service.port}/healthz`)).rejects.toThrow();
    expect(await inFlight).toEqual({ status: 200, body: 'done' });
    expect(await service.exited).toBe(0);
    expect(service.output()).toMatch(/SIGTERM: stopping[\s\S]*"stopped"/);
  });

  it('exits with status 1 when stopping outlasts SHUTDOWN_TIMEOUT_MS', async () => {
    const service = await startService(300, 'hang');
    const signalled = Date.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(service.output()).toContain('still stopping after SHUTDOWN_TIMEOUT_MS (300 ms)');
  });

  it('exits at once when the same signal comes again; another signal (a supervisor after Ctrl-C) changes nothing', async () => {
    const service = await startService(60_000, 'hang');
    service.child.kill('SIGINT');
    await service.said('SIGINT: stopping');
    service.child.kill('SIGTERM');
    await new Promise((wait) => setTimeout(wait, 300));
    expect(service.child.exitCode).toBeNull();
    service.child.kill('SIGINT');
    expect(await service.exited).toBe(130);
    expect(service.output()).toContain('SIGINT again: exiting now');
  });
});
