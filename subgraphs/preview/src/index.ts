import { runService } from '@letstalk/server';
import { loadPreviewEnv } from './env.ts';
import { startPreviewService } from './service.ts';

await runService('preview', loadPreviewEnv, startPreviewService);
