export {
  canConnectTcp,
  canConnectToDatabase,
  ensureDatabaseServer,
  ensureNatsServer,
  findExecutable,
  freePort,
  localServices,
} from './services.ts';
export { runStack, spawnGateway, type RunningStack } from './run-stack.ts';
export { spawnService } from './spawn-service.ts';
export { inheritedEnvironment } from './env.ts';
export { repoRoot } from './subgraphs.ts';
