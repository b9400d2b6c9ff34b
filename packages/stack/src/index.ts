export {
  canConnectTcp,
  canConnectToDatabase,
  ensureDatabaseServer,
  ensureNatsServer,
  freePort,
  localServices,
} from './services.ts';
export { compose, composedFiles } from './compose.ts';
export { repoRoot, SUBGRAPHS } from './subgraphs.ts';
export { runStack, spawnGateway, type RunningStack } from './run-stack.ts';
export { inheritedEnvironment } from './env.ts';
