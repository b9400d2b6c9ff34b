import type { Viewer } from '@letstalk/auth';
import { unauthenticated } from '@letstalk/errors';
import type { BaseContext } from '@letstalk/server';

/** The signed-in viewer, or UNAUTHENTICATED. */
export function requireViewer(context: BaseContext): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}
