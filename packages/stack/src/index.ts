export { canConnectTcp, canConnectToDatabase, ensureNatsServer, freePort, localServices } from './services.ts';
export { runStack, spawnGateway, type RunningStack } from './run-stack.ts';
export { inheritedEnvironment } from './env.ts';
export { repoRoot } from './subgraphs.ts';
