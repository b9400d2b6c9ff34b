import { describe, expect, it } from 'vitest';
import { checkHttp, checkWs } from './check.ts';

const json = (status: number, body: unknown) => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});
const graphql = { path: '/graphql', requestText: '{"query":"{ me { id } }"}', raw: false };

describe('the fuzz pass’s checks', () => {
  it('pass a refusal with a client-side code, and data', () => {
    expect(
      checkHttp(json(400, { errors: [{ message: 'Bad.', extensions: { code: 'BAD_USER_INPUT' } }] }), graphql),
    ).toEqual([]);
    expect(checkHttp(json(200, { data: { me: { id: '1' } } }), graphql)).toEqual([]);
  });

  it('catch a 5xx, a server-side code, an uncoded error and a stack trace', () => {
    expect(
      checkHttp(json(500, { errors: [{ message: 'x', extensions: { code: 'BAD_USER_INPUT' } }] }), graphql),
    ).toEqual(['HTTP 500']);
    expect(
      checkHttp(
        json(200, { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
        graphql,
      ),
    ).toHaveLength(1);
    expect(checkHttp(json(200, { errors: [{ message: 'TypeError: x is undefined' }] }), graphql).join()).toMatch(
      /without extensions.code.*uncoded/,
    );
    const leak = checkHttp(
      json(400, {
        errors: [
          {
            message: 'Oops\n    at run (/work/main/node_modules/x/index.js:1:1)',
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      }),
      graphql,
    ).join();
    expect(leak).toMatch(/a stack frame/);
    expect(leak).toMatch(/a server path/);
    expect(leak).toMatch(/node_modules/);
  });

  it('do not take an answer echoing the request for a leak', () => {
    const request = { ...graphql, requestText: '{"query":"{ user(id: \\"/work/x\\") { id } }"}' };
    const echo = json(400, { errors: [{ message: 'No user "/work/x".', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(checkHttp(echo, request)).toEqual([]);
  });

  it('catch a request left without an answer, but not bytes that are no HTTP', () => {
    const unanswered = { status: 0, contentType: '', body: '', failure: 'ECONNRESET' };
    expect(checkHttp(unanswered, graphql)).toEqual(['no answer: ECONNRESET']);
    expect(checkHttp(unanswered, { ...graphql, raw: true })).toEqual([]);
  });

  it('let the first server refuse a head too large for it with a page of its own, but not a head within limits', () => {
    const page = { status: 400, contentType: 'text/html', body: '<html><body><h1>400 Bad request</h1></body></html>' };
    expect(checkHttp({ ...page, headTooLarge: true }, graphql)).toEqual([]);
    expect(checkHttp(page, graphql)).toEqual(['a GraphQL answer that is not JSON (text/html)']);
    expect(checkHttp({ ...page, status: 200, headTooLarge: true }, graphql)).toEqual([
      'a GraphQL answer that is not JSON (text/html)',
    ]);
  });

  it('catch a graphql-ws close that says the server failed, and an uncoded error in a frame', () => {
    expect(
      checkWs({ frames: [], closedBy: 'server', closeCode: 4500, closeReason: 'Internal server error' }, ''),
    ).toHaveLength(1);
    expect(
      checkWs({ frames: [], closedBy: 'server', closeCode: 4400, closeReason: 'Invalid message received' }, ''),
    ).toEqual([]);
    const next = JSON.stringify({ type: 'next', id: '1', payload: { errors: [{ message: 'x' }] } });
    expect(checkWs({ frames: [next], closedBy: 'client' }, '').join()).toMatch(/without extensions.code/);
  });
});
