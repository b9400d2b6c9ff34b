import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The SDK as a consumer outside this repository gets it: `npm pack` (whose prepack builds dist/), the
 * tarball installed offline into a fresh project, a program type-checked against its declarations and
 * the package imported by Node. Inside the repository `@letstalk/sdk` resolves to src/ instead (the
 * `@letstalk/source` export condition), so only this test sees what is published.
 */

const exec = promisify(execFile);
const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const rootDir = path.resolve(sdkDir, '../..');
const tsc = path.join(rootDir, 'node_modules/typescript/bin/tsc');

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}
interface LockEntry {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The children get neither npm's script variables (a workspace or prefix of this repo) nor NODE_OPTIONS. */
const env = Object.fromEntries(
  // eslint-disable-next-line n/no-process-env -- the child processes inherit this environment, minus what would point npm at this repository
  Object.entries(process.env).filter(
    ([key]) => !/^(npm_|node_options$)/i.test(key) || /^npm_config_(cache|userconfig|globalconfig)$/i.test(key),
  ),
);
async function run(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(command, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}${stderr}`, { cause: error });
  }
}

/**
 * A lockfile for the consumer holding the SDK's dependencies at the versions this repository installed,
 * so npm takes their tarballs from its cache by integrity and needs no registry metadata (a plain
 * `npm install --offline <tarball>` wants the packuments, which an install from a lockfile never cached).
 */
async function consumerLock(sdk: Manifest, tarball: string): Promise<object> {
  const repoLock = JSON.parse(await readFile(path.join(rootDir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const packages: Record<string, object> = {
    '': { name: 'consumer', dependencies: { [sdk.name]: tarball } },
    [`node_modules/${sdk.name}`]: { version: sdk.version, resolved: tarball, dependencies: sdk.dependencies },
  };
  const pending = Object.keys(sdk.dependencies ?? {});
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (packages[`node_modules/${name}`]) continue;
    const entry = repoLock.packages[`packages/sdk/node_modules/${name}`] ?? repoLock.packages[`node_modules/${name}`];
    if (!entry) throw new Error(`${name} is not in package-lock.json: run npm install at the root`);
    packages[`node_modules/${name}`] = entry;
    const peers = Object.keys(entry.peerDependencies ?? {}).filter(
      (peer) => !entry.peerDependenciesMeta?.[peer]?.optional,
    );
    pending.push(...Object.keys(entry.dependencies ?? {}), ...peers);
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

/** Signs in with an email code, lists the chats, sends a message and follows new ones: checked, not run. */
const program = `
import {
  ChatsDocument,
  createClient,
  LetsTalkError,
  MessageAddedDocument,
  RequestEmailCodeDocument,
  SendMessageDocument,
  SignInWithEmailCodeDocument,
  type LetsTalkClient,
} from '@letstalk/sdk';

let accessToken: string | undefined;
const client: LetsTalkClient = createClient({ url: 'http://localhost:4000/graphql', accessToken: () => accessToken });

export async function main(email: string, code: string): Promise<void> {
  const { requestEmailCode } = await client.request(RequestEmailCodeDocument, { email });
  const codeLength: number = requestEmailCode.codeLength;
  if (code.length !== codeLength) return;
  const { signInWithEmailCode } = await client.request(SignInWithEmailCodeDocument, { email, code });
  accessToken = signInWithEmailCode.accessToken;

  const { chats } = await client.request(ChatsDocument, { first: 20 });
  const chat = chats.edges[0]?.node;
  if (!chat) return;
  const { sendMessage } = await client.request(SendMessageDocument, {
    input: { chatId: chat.id, clientMessageId: crypto.randomUUID(), text: 'Hello' },
  });
  const seq: number = sendMessage.seq;

  for await (const result of client.subscribe(MessageAddedDocument, { chatId: chat.id, after: String(seq) })) {
    const text: string | null | undefined = result.data?.messageAdded.text;
    console.log(text);
    break;
  }
  await client.dispose();

  // The documents are typed: wrong variables and unknown fields do not compile.
  // @ts-expect-error first is an Int
  await client.request(ChatsDocument, { first: 'twenty' });
  // @ts-expect-error a chat has no title
  console.log(chat.title);
}

export function codeOf(error: unknown): string | undefined {
  return error instanceof LetsTalkError ? error.code : undefined;
}
`;

/** The README's quick start, exactly as a reader copies it. */
async function quickStart(): Promise<string> {
  const readme = await readFile(path.join(sdkDir, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Quick start'));
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (!code) throw new Error('README.md has no ts block under "## Quick start"');
  return code;
}

const compilerOptions = {
  target: 'ES2023',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: false,
};

describe('the packed SDK', () => {
  let dir: string;
  let app: string;
  let installed: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'letstalk-sdk-pack-'));
    const packDir = path.join(dir, 'pack');
    app = path.join(dir, 'app');
    await Promise.all([mkdir(packDir), mkdir(app)]);

    await run('npm', ['pack', '--pack-destination', packDir, '--silent'], sdkDir);
    const [file] = (await readdir(packDir)).filter((name) => name.endsWith('.tgz'));
    if (!file) throw new Error('npm pack wrote no tarball');
    const tarball = `file:../pack/${file}`;
    const sdk = JSON.parse(await readFile(path.join(sdkDir, 'package.json'), 'utf8')) as Manifest;

    await writeFile(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [sdk.name]: tarball } }),
    );
    await writeFile(path.join(app, 'package-lock.json'), JSON.stringify(await consumerLock(sdk, tarball)));
    try {
      await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], app);
    } catch (error) {
      if (!(error instanceof Error && error.message.includes('ENOTCACHED'))) throw error;
      console.warn('npm cache lacks a dependency of the SDK: installing with --prefer-offline');
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
    }
    installed = path.join(app, 'node_modules', sdk.name);

    await writeFile(path.join(app, 'main.ts'), program);
    await writeFile(path.join(app, 'quick-start.ts'), await quickStart());
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, module: 'NodeNext' },
        files: ['main.ts', 'quick-start.ts'],
      }),
    );
    await writeFile(
      path.join(app, 'tsconfig.bundler.json'),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, module: 'Preserve', moduleResolution: 'Bundler' },
        files: ['main.ts', 'quick-start.ts'],
      }),
    );
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ships dist, README and LICENSE: JavaScript that imports only its dependencies, no .ts and no Node built-in', async () => {
    const files = (await readdir(installed, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(installed, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort();
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/index.d.ts', 'dist/index.js']));
    expect(files.filter((file) => !/^(dist\/.+\.(js|d\.ts)|LICENSE|README\.md|package\.json)$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.includes('.test.'))).toEqual([]);

    const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as Manifest & {
      main: string;
      types: string;
      exports: Record<string, string | Record<string, string>>;
    };
    // Every entry point but the repository's own source condition is a shipped file (TypeScript would
    // quietly fall back from a missing `types` to the `.d.ts` beside `import`, so look at each).
    const targets = Object.values(manifest.exports).flatMap((target) =>
      typeof target === 'string'
        ? [target]
        : Object.entries(target).flatMap(([condition, file]) => (condition === '@letstalk/source' ? [] : [file])),
    );
    expect(
      [manifest.main, manifest.types, ...targets].filter((target) => !files.includes(target.replace(/^\.\//, ''))),
    ).toEqual([]);

    const dependencies = manifest.dependencies ?? {};
    const specifiers = new Set<string>();
    for (const file of files.filter((name) => name.endsWith('.js'))) {
      const source = await readFile(path.join(installed, file), 'utf8');
      for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g))
        specifiers.add(match[1]!);
    }
    const wrong = [...specifiers].filter((specifier) =>
      specifier.startsWith('.')
        ? !specifier.endsWith('.js')
        : !(specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/') in dependencies),
    );
    expect(wrong).toEqual([]);
  });

  it('type-checks a consumer program against the declarations (NodeNext and bundler resolution)', async () => {
    await run('node', [tsc, '-p', 'tsconfig.json'], app);
    await run('node', [tsc, '-p', 'tsconfig.bundler.json'], app);
  }, 30_000);

  it('loads as ESM in Node', async () => {
    const { stdout } = await run(
      'node',
      [
        '--input-type=module',
        '-e',
        "const sdk = await import('@letstalk/sdk'); console.log(typeof sdk.createClient, sdk.MessageAddedDocument.kind);",
      ],
      app,
    );
    expect(stdout.trim()).toBe('function Document');
  });
});
