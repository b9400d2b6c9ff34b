import fc from 'fast-check';
import { TOKEN_PLACEHOLDER, type Auth, type FuzzCase, type WsStep } from './types.ts';
import type { GeneratedOperation, GraphqlRequest, OperationGenerator } from './operations.ts';
import { oddString } from './values.ts';

const text = (frame: unknown): WsStep => ({ text: JSON.stringify(frame) });
const ME: GraphqlRequest = { query: '{ me { id } }' };
const TYPING: GraphqlRequest = { query: 'subscription { typing { chatId expiresAt } }' };

/** `connection_init` as a client signed in as `auth` sends it (the token is put in when sent). */
function initFrame(auth: Auth): WsStep {
  if (auth.as === 'anonymous') return text({ type: 'connection_init' });
  if (auth.as === 'header') return text({ type: 'connection_init', payload: { authorization: auth.value } });
  return text({ type: 'connection_init', payload: { authorization: `Bearer ${TOKEN_PLACEHOLDER}` } });
}

/** A generated operation over graphql-ws: init, subscribe, then perhaps an early `complete` or a second subscribe. */
export function wsOperationScript(op: GeneratedOperation, auth: Auth): fc.Arbitrary<WsStep[]> {
  return fc
    .record({
      id: fc.constantFrom('1', 'a', 'x'.repeat(100), '😀'),
      ending: fc.constantFrom('wait', 'wait', 'wait', 'complete-at-once', 'close-at-once', 'again'),
    })
    .map(({ id, ending }) => {
      const steps: WsStep[] = [initFrame(auth), { pause: 30 }, text({ type: 'subscribe', id, payload: op.request })];
      if (ending === 'complete-at-once') steps.push(text({ type: 'complete', id }));
      if (ending === 'close-at-once') steps.push({ close: 1000 });
      if (ending === 'again') steps.push(text({ type: 'subscribe', id: `${id}2`, payload: op.request }));
      return steps;
    });
}

/** Frames graphql-ws does not expect: not JSON, wrong types, unknown messages, out of order, repeated, too large. */
function badFrames(generator: OperationGenerator, auth: Auth): fc.Arbitrary<WsStep[]> {
  const init = initFrame(auth);
  const subscribe = (id: unknown, payload: unknown = ME) => text({ type: 'subscribe', id, payload });
  const scripts: WsStep[][] = [
    [{ text: 'not json' }],
    [{ text: '' }],
    [{ text: '{' }],
    [{ binary: [0, 1, 2, 255, 254] }],
    [init, { binary: [123, 125] }],
    [text(null)],
    [text([])],
    [text(42)],
    [text('connection_init')],
    [text({})],
    [text({ type: 42 })],
    [text({ type: null })],
    [text({ type: 'start', id: '1', payload: ME })],
    [text({ type: 'connection_terminate' })],
    [init, text({ type: 'start', id: '1', payload: ME })],
    [init, text({ type: 'stop', id: '1' })],
    [init, text({ type: 'ka' })],
    [subscribe('1')],
    [text({ type: 'complete', id: '1' })],
    [init, init],
    [init, { pause: 50 }, init],
    [text({ type: 'connection_init', payload: 'x' })],
    [text({ type: 'connection_init', payload: [] })],
    [text({ type: 'connection_init', payload: { authorization: 42 } })],
    [text({ type: 'connection_init', payload: { authorization: ['Bearer x'] } })],
    [text({ type: 'connection_init', payload: { authorization: `Bearer ${'a'.repeat(5000)}` } })],
    [text({ type: 'connection_init', payload: { Authorization: `Bearer ${TOKEN_PLACEHOLDER}` } })],
    [text({ type: 'connection_init', payload: { authorization: `Bearer ${TOKEN_PLACEHOLDER}`, __proto__: { x: 1 } } })],
    [init, { pause: 30 }, subscribe('1', TYPING), subscribe('1', TYPING)],
    [init, { pause: 30 }, subscribe('1'), subscribe('1')],
    [init, { pause: 30 }, subscribe(1)],
    [init, { pause: 30 }, subscribe(null)],
    [init, { pause: 30 }, subscribe('')],
    [init, { pause: 30 }, subscribe({ id: 1 })],
    [init, { pause: 30 }, subscribe('x'.repeat(60_000))],
    [init, { pause: 30 }, text({ type: 'subscribe', id: '1' })],
    [init, { pause: 30 }, subscribe('1', null)],
    [init, { pause: 30 }, subscribe('1', 'query')],
    [init, { pause: 30 }, subscribe('1', { query: 1 })],
    [init, { pause: 30 }, subscribe('1', { query: ME.query, variables: 'x' })],
    [init, { pause: 30 }, subscribe('1', { query: ME.query, variables: [] })],
    [init, { pause: 30 }, subscribe('1', { query: ME.query, operationName: 5 })],
    [init, { pause: 30 }, subscribe('1', { query: ME.query, extensions: 'x' })],
    [init, { pause: 30 }, subscribe('1', { query: `{ me { id ${'x'.repeat(70_000)} } }` })],
    [init, { pause: 30 }, { text: 'x'.repeat(65 * 1024) }],
    [init, { pause: 30 }, text({ type: 'complete', id: 'never' })],
    [init, { pause: 30 }, text({ type: 'complete' })],
    [init, { pause: 30 }, text({ type: 'ping', payload: 'x' })],
    [init, { pause: 30 }, text({ type: 'ping', payload: { a: [1] } })],
    [init, { pause: 30 }, text({ type: 'pong' })],
    [init, { pause: 30 }, text({ type: 'next', id: '1', payload: {} })],
    [init, { pause: 30 }, text({ type: 'error', id: '1', payload: [] })],
    [init, { pause: 30 }, text({ type: 'connection_ack' })],
    [init, { pause: 30 }, subscribe('1', TYPING), text({ type: 'complete', id: '1' }), subscribe('1', TYPING)],
    [init, { pause: 30 }, ...Array.from({ length: 55 }, (_, index) => subscribe(String(index), TYPING))],
    [init, { pause: 30 }, subscribe('1', TYPING), { close: 4999 }],
    [init, { close: 1000 }],
    [init, { close: 4400 }],
    [init, { pause: 30 }, subscribe('1', { query: 'subscription { messageAdded { id } }' }), { close: 1006 }],
  ];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...scripts), weight: 6 },
    { arbitrary: oddString.map((frame) => [init, { pause: 30 }, { text: frame }]), weight: 1 },
    {
      arbitrary: fc
        .jsonValue({ maxDepth: 3 })
        .map((payload) => [init, { pause: 30 }, text({ type: 'subscribe', id: '1', payload })]),
      weight: 1,
    },
    {
      // Several generated operations on one connection at once, some sharing an id.
      arbitrary: fc
        .array(fc.tuple(fc.constantFrom('1', '2', '3'), generator.operation({ withoutSignOut: true })), {
          minLength: 2,
          maxLength: 5,
        })
        .map((operations) => [init, { pause: 30 }, ...operations.map(([id, op]) => subscribe(id, op.request))]),
      weight: 2,
    },
  );
}

/** graphql-ws's own subprotocol most of the time; the legacy one, none, or others now and then (4406). */
const protocols = [...Array<string>(9).fill('graphql-transport-ws'), 'graphql-ws', null, 'x, y'];

export function wsFramesCase(generator: OperationGenerator, auth: fc.Arbitrary<Auth>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(auth, fc.constantFrom(...protocols))
    .chain(([who, protocol]) =>
      badFrames(generator, who).map((steps): FuzzCase => ({ kind: 'ws', auth: who, protocol, steps })),
    );
}
