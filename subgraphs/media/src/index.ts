import { runService } from '@letstalk/server';
import { loadMediaEnv } from './env.ts';
import { startMediaService } from './service.ts';

await runService('media', loadMediaEnv, startMediaService);
