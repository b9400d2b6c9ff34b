import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { inheritedEnvironment } from './env.ts';
import { repoRoot } from './subgraphs.ts';

/**
 * Builds packages/web-demo (Vite) into `outDir`; false (and the build's output through `say`) when it cannot. Each
 * stack builds into its own DATA_DIR, so Vite's lock against concurrent builds of the project (two stacks at once,
 * e.g. two test runs) is bypassed.
 */
export async function buildWebDemo(outDir: string, say: (line: string) => void): Promise<boolean> {
  const args = ['--outDir', outDir, '--emptyOutDir', '--bypass-lock'];
  const build = spawn('npm', ['run', 'build', '-w', '@letstalk/web-demo', '--', ...args], {
    cwd: repoRoot,
    env: inheritedEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [build.stdout, build.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => build.once('exit', done));
  if (code !== 0) say(`the web demo did not build; serving none:\n${output.slice(-2000)}`);
  return code === 0;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the built demo from `root` on 127.0.0.1:`port` (0: a free one), and `config.json` telling it where the
 * gateway is (the host the page was loaded from, `gatewayPort`: the gateway's, or its balancer's).
 */
export async function serveWebDemo(root: string, port: number, gatewayPort: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/config.json') {
      const host = new URL(`http://${req.headers.host ?? '127.0.0.1'}`).hostname;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ gatewayUrl: `http://${host}:${gatewayPort}/graphql` }));
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  return server;
}

/** The origins a page served on `port` calls the gateway from: what an explicit CORS_ORIGINS list must add. */
export const webDemoOrigins = (port: number) => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
