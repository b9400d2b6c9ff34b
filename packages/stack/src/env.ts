import { delimiter } from 'node:path';
/**
 * The stack runner's view of its own environment. Processes it starts inherit it (each validates what it
 * reads in its own env.ts), and servers it looks for are searched on its PATH.
 */
export const inheritedEnvironment = (): NodeJS.ProcessEnv => ({ ...process.env });

/** Folders on the runner's PATH. */
export const executableSearchPath = (): string[] => (process.env.PATH ?? '').split(delimiter).filter(Boolean);
