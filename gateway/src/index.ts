import { runService } from '@letstalk/server';
import { loadGatewayEnv } from './env.ts';
import { startGateway } from './server.ts';

await runService('gateway', loadGatewayEnv, startGateway);
