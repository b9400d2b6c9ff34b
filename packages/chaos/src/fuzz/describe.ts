import { TOKEN_PLACEHOLDER, type FuzzCase } from './types.ts';
import { resolveHttp } from './send-http.ts';
import type { HttpObservation } from './send-http.ts';
import type { WsObservation } from './send-ws.ts';

/** Long texts are cut in reports (a case may carry a megabyte); the cut says how long the whole was. */
const MAX_SHOWN = 3_000;

export const shorten = (text: string, max = MAX_SHOWN) =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters in all)`;

/**
 * The request of a case as it is sent (token and client address put in), in a form a person can send again:
 * an HTTP request with its headers and body, a request line, or the frames of a graphql-ws connection. Whole:
 * the checks look in it for what an answer merely echoes; reports shorten it.
 */
export function describeCase(
  fuzzCase: FuzzCase,
  context: { token: string; files: Record<string, Buffer>; clientIp: string },
): string {
  if (fuzzCase.kind === 'raw-bytes') return `raw bytes: ${JSON.stringify(fuzzCase.text)}`;
  if (fuzzCase.kind === 'raw-http') {
    const headers = Object.entries(fuzzCase.headers).map(([name, value]) => `${name}: ${value}`);
    return [`${fuzzCase.method} ${fuzzCase.target} HTTP/1.1`, ...headers].join('\n');
  }
  if (fuzzCase.kind === 'ws') {
    const frames = fuzzCase.steps.map((step) =>
      'text' in step
        ? `send ${step.text.split(TOKEN_PLACEHOLDER).join(context.token)}`
        : 'binary' in step
          ? `send binary ${JSON.stringify(step.binary)}`
          : 'pause' in step
            ? `wait ${step.pause} ms`
            : `close ${step.close}`,
    );
    return [
      `graphql-ws, subprotocol ${JSON.stringify(fuzzCase.protocol)}, X-Forwarded-For: ${context.clientIp}`,
      ...frames,
    ].join('\n');
  }
  const resolved = resolveHttp(fuzzCase, { gatewayUrl: 'http://gateway', ...context })!;
  const headers = Object.entries(resolved.headers).map(([name, value]) => `${name}: ${value}`);
  const body = resolved.body ? `\n\n${resolved.body.toString()}` : '';
  return `${resolved.method} ${resolved.path}\n${headers.join('\n')}${body}`;
}

export const describeHttpAnswer = (observation: HttpObservation) =>
  observation.status <= 0
    ? `no answer: ${observation.failure}`
    : `HTTP ${observation.status} ${observation.contentType}\n${shorten(observation.body)}`;

export function describeWsAnswer(observation: WsObservation): string {
  if (observation.upgradeStatus !== undefined)
    return `upgrade refused: HTTP ${observation.upgradeStatus} ${shorten(observation.upgradeBody ?? '')}`;
  const frames = observation.frames.map((frame) => `received ${shorten(frame, 1_000)}`);
  const close = `closed by ${observation.closedBy}: ${observation.closeCode} ${JSON.stringify(observation.closeReason)}`;
  return [...frames, close, ...(observation.failure ? [`failure: ${observation.failure}`] : [])].join('\n');
}
