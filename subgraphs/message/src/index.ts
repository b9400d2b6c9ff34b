import { runService } from '@letstalk/server';
import { loadMessageEnv } from './env.ts';
import { startMessageService } from './service.ts';

await runService('message', loadMessageEnv, startMessageService);
