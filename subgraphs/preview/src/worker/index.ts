import { runService } from '@letstalk/server';
import { loadPreviewWorkerEnv } from '../env.ts';
import { startPreviewWorkerService } from './service.ts';

await runService('preview-worker', loadPreviewWorkerEnv, startPreviewWorkerService);
