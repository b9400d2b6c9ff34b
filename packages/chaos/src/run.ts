import { cpus } from 'node:os';
import { runFaultSuite } from './fault-suite.ts';
import { parseFaultSuiteOptions, parseSoakOptions } from './options.ts';
import { formatFaultSuite } from './report.ts';
import { formatSoak, runSoak } from './soak.ts';
import { runFuzzMode } from './fuzz/index.ts';

/**
 * `npm run chaos [-- <mode>] [options]`: `faults` (the default) strikes each fault in turn under load and
 * prints what was lost; `soak` runs the load with no fault and prints memory and latency per minute. Each mode
 * takes its options and resolves whether it passed.
 */
const MODES: Record<string, (args: string[]) => Promise<boolean>> = {
  faults: async (args) => {
    const result = await runFaultSuite(parseFaultSuiteOptions(args), say);
    console.log(formatFaultSuite(result));
    return result.passed;
  },
  soak: async (args) => {
    const result = await runSoak(parseSoakOptions(args), say);
    console.log(formatSoak(result));
    return result.passed;
  },
  // 10,000 generated and malformed requests against a stack of its own (packages/chaos/src/fuzz).
  fuzz: runFuzzMode,
};

function say(line: string) {
  console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

const args = process.argv.slice(2);
const named = args[0] !== undefined && !args[0].startsWith('-');
const mode = named ? args[0]! : 'faults';
const run = MODES[mode];
if (!run) {
  console.error(`Unknown mode "${mode}": ${Object.keys(MODES).join(', ')}.`);
  process.exit(2);
}
say(`${mode} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
const passed = await run(named ? args.slice(1) : args);
process.exit(passed ? 0 : 1);
