import { runService } from '@letstalk/server';
import { loadPreviewEnv } from '../env.ts';
import { startPreviewWorkerService } from './service.ts';

await runService(loadPreviewEnv, startPreviewWorkerService);
