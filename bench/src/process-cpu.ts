import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One process of the stack, by the name the cost benchmark prints. */
export interface StackProcess {
  name: string;
  pid: number;
}

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const pids = () =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);

/** The parent of a process (`/proc/<pid>/stat`, field 4), or undefined once it is gone. */
function parentOf(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  // The command name (field 2) is in parentheses and may hold spaces: fields count from its closing one.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields ? Number(fields[1]) : undefined;
}

/** Every process below `root`, with its command line. */
function descendants(root: number): { pid: number; command: string }[] {
  const parents = new Map(pids().map((pid) => [pid, parentOf(pid)]));
  const below = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (parent !== undefined && below.has(parent) && !below.has(pid)) {
        below.add(pid);
        grew = true;
      }
    }
  }
  below.delete(root);
  return [...below].map((pid) => ({ pid, command: (read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ') }));
}

/** The process listening on a loopback TCP port (MariaDB, NATS), found through its socket's inode. */
function listenerOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local address HEX:PORT, state 0A = LISTEN, inode in field 10.
      if (fields[3] === '0A' && Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === port) inodes.add(fields[9]!);
    }
  }
  for (const pid of pids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** What each entry file runs, by the name printed. */
const ENTRIES: [RegExp, string][] = [
  [/gateway\/src\/index\.ts/, 'gateway'],
  [/subgraphs\/user\/src\/index\.ts/, 'user'],
  [/subgraphs\/message\/src\/index\.ts/, 'message'],
  [/subgraphs\/media\/src\/index\.ts/, 'media'],
  [/subgraphs\/preview\/src\/index\.ts/, 'preview'],
  [/subgraphs\/media\/src\/worker\/index\.ts/, 'media-worker'],
  [/subgraphs\/preview\/src\/worker\/index\.ts/, 'preview-worker'],
];

/**
 * The processes `npm start` (pid `stackPid`) runs, named by their entry file (a second gateway is
 * `gateway 2`), then the extra gateways, MariaDB and NATS (the processes listening on their ports).
 */
export function stackProcesses(options: {
  stackPid: number;
  extraGatewayPids: number[];
  databasePort: number;
  natsPort: number;
}): StackProcess[] {
  const found: StackProcess[] = [];
  for (const { pid, command } of descendants(options.stackPid)) {
    // The node process itself, not the `sh`/`npm` wrappers above it.
    if (!command.startsWith(process.execPath) && !/^node /.test(command)) continue;
    const name = ENTRIES.find(([entry]) => entry.test(command))?.[1];
    if (name) found.push({ name, pid });
  }
  options.extraGatewayPids.forEach((pid, index) => found.push({ name: `gateway ${index + 2}`, pid }));
  for (const [name, port] of [
    ['mariadb', options.databasePort],
    ['nats', options.natsPort],
  ] as const) {
    const pid = listenerOn(port);
    if (pid === undefined) throw new Error(`No process listens on port ${port} (${name}).`);
    found.push({ name, pid });
  }
  return found;
}

/** Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`: 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time a process has used so far, every thread (those that ended too), in milliseconds: `utime` and
 * `stime` of `/proc/<pid>/stat` (fields 14 and 15). Not `schedstat`, which counts the main thread alone.
 */
function cpuMs(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) throw new Error(`Process ${pid} is gone.`);
  // Fields count from the closing parenthesis of the command name (field 2): utime is the 12th after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** CPU milliseconds each process used between two readings: `const done = cpuSince(procs); ...; done()`. */
export function cpuSince(processes: StackProcess[]): () => Map<string, number> {
  const before = new Map(processes.map((each) => [each.pid, cpuMs(each.pid)]));
  return () => new Map(processes.map((each) => [each.name, cpuMs(each.pid) - before.get(each.pid)!]));
}
