import type { GeneratedOperation } from './operations.ts';

/**
 * Who a request is sent as. `user` is one of the pass's people (their token is put in when the request is
 * sent); `fresh` a session made for this one request (sign-out and refresh may end it); the others no valid token.
 */
export type Auth =
  { as: 'anonymous' } | { as: 'user'; person: number } | { as: 'fresh' } | { as: 'header'; value: string };

/** A text that stands for the access token of `auth` in a frame or a header, replaced when sent. */
export const TOKEN_PLACEHOLDER = '{{accessToken}}';

export type WsStep = { text: string } | { binary: number[] } | { pause: number } | { close: number };

export type FuzzCase =
  | { kind: 'http-post'; auth: Auth; op: GeneratedOperation }
  | { kind: 'http-get'; auth: Auth; op: GeneratedOperation; preflight: boolean }
  | { kind: 'http-body'; auth: Auth; contentType: string | null; body: string; headers: Record<string, string> }
  | { kind: 'multipart'; auth: Auth; boundary: string; parts: MultipartPart[]; preflight: boolean }
  | { kind: 'raw-http'; method: string; target: string; headers: Record<string, string> }
  | { kind: 'raw-bytes'; text: string }
  | { kind: 'ws'; auth: Auth; protocol: string | null; steps: WsStep[]; op?: GeneratedOperation };

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  /** Text, or the name of one of the pass's test files (`file:<name>`). */
  content: string;
}
