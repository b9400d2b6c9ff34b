import { runService } from '@letstalk/server';
import { loadMediaWorkerEnv } from '../env.ts';
import { startImageWorkerService } from './service.ts';

await runService('media-worker', loadMediaWorkerEnv, startImageWorkerService);
