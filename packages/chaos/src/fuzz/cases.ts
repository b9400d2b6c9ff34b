import fc from 'fast-check';
import { documentShapes } from './documents.ts';
import { httpBodyCase, multipartCase, rawHttpCase } from './malformed-http.ts';
import type { GeneratedOperation, OperationGenerator } from './operations.ts';
import { TOKEN_PLACEHOLDER, type Auth, type FuzzCase } from './types.ts';
import type { Pools } from './values.ts';
import { wsFramesCase, wsOperationScript } from './malformed-ws.ts';

const oddHeaderValues = [
  'Bearer',
  'Bearer ',
  'Bearer  x',
  'bearer x.y.z',
  'Basic dXNlcjpwYXNz',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ.x',
  `Bearer ${'a'.repeat(5000)}`,
  `Bearer ${TOKEN_PLACEHOLDER}x`,
  `Bearer ${TOKEN_PLACEHOLDER}, Bearer ${TOKEN_PLACEHOLDER}`,
  TOKEN_PLACEHOLDER,
];

/** One of the pass's three people. */
const person = fc.nat({ max: 2 }).map((index): Auth => ({ as: 'user', person: index }));

const authArbitrary: fc.Arbitrary<Auth> = fc.oneof(
  { arbitrary: person, weight: 6 },
  { arbitrary: fc.constant<Auth>({ as: 'anonymous' }), weight: 3 },
  { arbitrary: fc.constantFrom(...oddHeaderValues).map((value): Auth => ({ as: 'header', value })), weight: 1 },
);

const burnsSession = (op: GeneratedOperation) => /^(signOut|refreshSession)$/.test(op.field);

/** Sign-out and refresh burn a session: never one of the people's own. */
const authFor = (op: GeneratedOperation): fc.Arbitrary<Auth> =>
  burnsSession(op) ? fc.constantFrom<Auth>({ as: 'fresh' }, { as: 'anonymous' }) : authArbitrary;

/** Every kind of case, weighted so that about half are well-formed GraphQL over HTTP POST. */
export function fuzzCaseArbitrary(generator: OperationGenerator, pools: Pools): fc.Arbitrary<FuzzCase> {
  const operation = fc.oneof(
    { arbitrary: generator.operation(), weight: 9 },
    { arbitrary: documentShapes(pools), weight: 1 },
  );
  const withAuth = operation.chain((op) => authFor(op).map((auth) => ({ op, auth })));
  // Over graphql-ws only a signed-in connection gets past connection_init: mostly people there.
  const wsWithAuth = operation.chain((op) =>
    (burnsSession(op)
      ? authFor(op)
      : fc.oneof({ arbitrary: authFor(op), weight: 1 }, { arbitrary: person, weight: 2 })
    ).map((auth) => ({ op, auth })),
  );
  return fc.oneof(
    { arbitrary: withAuth.map(({ op, auth }): FuzzCase => ({ kind: 'http-post', auth, op })), weight: 45 },
    {
      arbitrary: fc
        .tuple(withAuth, fc.constantFrom(true, true, true, false))
        .map(([{ op, auth }, preflight]): FuzzCase => ({ kind: 'http-get', auth, op, preflight })),
      weight: 8,
    },
    {
      arbitrary: fc
        .tuple(wsWithAuth, fc.constantFrom(...Array<string>(9).fill('graphql-transport-ws'), null))
        .chain(([{ op, auth }, protocol]) =>
          wsOperationScript(op, auth).map((steps): FuzzCase => ({ kind: 'ws', auth, protocol, steps, op })),
        ),
      weight: 15,
    },
    { arbitrary: httpBodyCase(generator, authArbitrary), weight: 10 },
    { arbitrary: multipartCase(authArbitrary, pools), weight: 6 },
    { arbitrary: wsFramesCase(generator, authArbitrary), weight: 11 },
    { arbitrary: rawHttpCase(), weight: 5 },
  );
}

/** A 32-bit seed for case `index` of a pass seeded with `seed`: any case can be made again on its own. */
const caseSeed = (seed: number, index: number) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + index * 0x27d4eb2f) | 0;

/** Case `index` of the pass seeded with `seed`. */
export const caseAt = (arbitrary: fc.Arbitrary<FuzzCase>, seed: number, index: number): FuzzCase =>
  fc.sample(arbitrary, { seed: caseSeed(seed, index), numRuns: 1 })[0]!;
