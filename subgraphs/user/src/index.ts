import { runService } from '@letstalk/server';
import { loadUserEnv } from './env.ts';
import { startUserService } from './service.ts';

await runService('user', loadUserEnv, startUserService);
