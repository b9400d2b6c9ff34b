import { runService } from '@letstalk/server';
import { loadMediaEnv } from '../env.ts';
import { startImageWorkerService } from './service.ts';

await runService(loadMediaEnv, startImageWorkerService);
