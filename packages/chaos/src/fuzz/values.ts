import fc from 'fast-check';

/**
 * A value the fuzzer puts in an operation: JSON, or a token only a GraphQL literal can carry (`$enum`: a bare
 * enum name; `$raw`: text written into the document as it is, such as `1e400` or `$undeclared`). In a variables
 * object both become strings.
 */
export type FuzzValue =
  | null
  | boolean
  | number
  | string
  | FuzzValue[]
  | { $enum: string }
  | { $raw: string }
  | { [field: string]: FuzzValue };

/** Ids and tokens of the fuzz pass's own people and chats, so some operations reach past the id checks. */
export interface Pools {
  userIds: string[];
  chatIds: string[];
  messageIds: string[];
  imageIds: string[];
  callIds: string[];
  /** A refresh token of a session nothing else uses (reusing it may revoke that session: harmless). */
  refreshTokens: string[];
  /** Cursors the server gave out (history and lists). */
  cursors: string[];
}

/** Documented input limits (docs/limits.md): strings are made at, just past and far past them. */
const LIMITS = [6, 64, 100, 128, 254, 255, 256, 1000, 2048, 4000, 4096, 8192, 20_000];

/** Strings that have broken parsers, databases and loggers elsewhere. None holds a marker the checks look for. */
const NASTY = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(64),
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202eevil\u202c',
  '\u200f\u05e9\u05dc\u05d5\u05dd\u200e',
  '\u200b\u200c\u200d\ufeff',
  '\ufffd\uffff',
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈'.repeat(50),
  'e\u0301'.repeat(30),
  'Z\u0351\u0352\u0357\u0350\u034b\u0346'.repeat(20),
  '\u001b[31mred\u001b[0m',
  "' OR '1'='1' -- ",
  '"; DROP TABLE users; --',
  '\\',
  '\\u0000',
  '%00%ff%2e%2e%2f',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '%s%s%s%n',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e400',
  '0x7fffffff',
  'true',
  '[]',
  '{}',
  '{"a":',
  '**bold** _it_ `code` [x](javascript:alert(1))',
  'https://example.com/' + 'a'.repeat(3000),
  'http://127.0.0.1:1/x http://[::1]/ http://169.254.169.254/latest/meta-data/',
  'mailto:a@b.c tel:+1 ftp://x data:text/html,<b>x</b>',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));

/** Unicode of every kind: graphemes, whole code points, lone surrogates and control characters. */
const oddUnicode = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(loneSurrogate, controlChar, fc.constantFrom('a', '😀', '\u202e', '\u0301')),
    maxLength: 30,
  }),
);

/** At, one past and far past a documented limit, in units that count differently in UTF-16, code points and bytes. */
const limitString = fc
  .record({
    limit: fc.constantFrom(...LIMITS),
    over: fc.constantFrom(0, 1, 2, 1000),
    unit: fc.constantFrom('a', 'é', '😀', ' ', '\u0301', '\u0000', 'ß', '\u202e'),
  })
  .map(({ limit, over, unit }) => unit.repeat(limit + over));

/** Far past every limit, and once in a while past the gateway's 1 MB body limit. */
const hugeString = fc
  .constantFrom(100_000, 300_000, 1_100_000)
  .chain((length) => fc.constantFrom('x', '😀').map((unit) => unit.repeat(length / unit.length)));

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 5 },
  { arbitrary: oddUnicode, weight: 4 },
  { arbitrary: limitString, weight: 3 },
  { arbitrary: hugeString, weight: 1 },
);

const uuidUpper = fc.uuid().map((id) => id.toUpperCase());

/** Ids that are not UUIDs, or UUIDs nobody has, or message ids (`<chatId>:<seq>`) with odd sequence numbers. */
const malformedIds = (pools: Pools) =>
  fc.oneof(
    fc.uuid(),
    uuidUpper,
    fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
    fc
      .constantFrom(...pools.chatIds)
      .chain((chat) =>
        fc
          .constantFrom(
            '0',
            '-1',
            '1.5',
            '2147483648',
            '9007199254740993',
            '99999999999999999999',
            '',
            'x',
            '1:2',
            ' 1',
          )
          .map((seq) => `${chat}:${seq}`),
      ),
    fc.uuid().map((id) => `${id}:1`),
    fc.constantFrom(...pools.userIds).map((id) => `${id}\u0000`),
    fc.constantFrom(...pools.chatIds).map((id) => ` ${id} `),
    fc.constantFrom(...pools.chatIds).map((id) => id.replace(/-/g, '')),
    oddString,
  );

/** A real id of the kind an argument's name suggests, most of the time; otherwise anything id-like. */
export function idFor(name: string, pools: Pools): fc.Arbitrary<string> {
  const real = /message/i.test(name)
    ? pools.messageIds
    : /chat/i.test(name)
      ? pools.chatIds
      : /call/i.test(name)
        ? pools.callIds
        : /image/i.test(name)
          ? pools.imageIds
          : /^(id|since)$/.test(name)
            ? [...pools.userIds, ...pools.chatIds, ...pools.messageIds, ...pools.callIds]
            : pools.userIds;
  const anyReal = [...pools.userIds, ...pools.chatIds, ...pools.messageIds, ...pools.imageIds, ...pools.callIds];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...(real.length > 0 ? real : anyReal)), weight: 4 },
    { arbitrary: fc.constantFrom(...anyReal), weight: 1 },
    { arbitrary: malformedIds(pools), weight: 3 },
  );
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Cursors: real ones, sequence numbers at their edges, and base64url JSON of the wrong shape. */
const cursor = (pools: Pools) =>
  fc.oneof(
    fc.constantFrom(...(pools.cursors.length > 0 ? pools.cursors : ['1'])),
    fc.constantFrom('0', '-1', '1', '1.5', '999999999999999', '1000000000000000', '9'.repeat(40), '+1', '0x10', ' 1 '),
    fc
      .constantFrom(
        '[]',
        '[null,null]',
        '["2020-01-01T00:00:00.000Z"]',
        '["not a date","x"]',
        '[1e400,"00000000-0000-0000-0000-000000000000"]',
        '{"a":1}',
        '"x"',
        '[[[[[[[[[[]]]]]]]]]]',
        '["2020-01-01T00:00:00.000Z","\\u0000",1]',
      )
      .map(base64url),
    fc.base64String({ maxLength: 64 }),
    oddString,
  );

/** Strings shaped like what an argument of this name takes, so some operations pass the input checks. */
function validShapedString(name: string, pools: Pools): fc.Arbitrary<string> {
  if (/email/i.test(name))
    return fc.oneof(
      fc.emailAddress(),
      fc.constantFrom('A@EXAMPLE.TEST', ' a@b.test ', 'a@b', '@', 'a@' + 'b'.repeat(260)),
    );
  if (name === 'code')
    return fc.oneof(fc.stringMatching(/^\d{6}$/), fc.constantFrom(' 123456 ', '12345', '１２３４５６'));
  if (/after|before/.test(name)) return cursor(pools);
  if (name === 'provider') return fc.constantFrom('fuzz', 'fake', 'bench', 'FUZZ', 'google', '');
  if (/token/i.test(name))
    return fc.oneof(
      fc.constantFrom(...(pools.refreshTokens.length > 0 ? pools.refreshTokens : ['x'])),
      fc
        .tuple(fc.base64String(), fc.base64String(), fc.base64String())
        .map((parts) => parts.map((part) => part.replace(/=/g, '')).join('.')),
      fc.constantFrom('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'a.b.c', '...'),
    );
  if (/offer|answer/.test(name)) return fc.constantFrom('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n', 'x');
  if (name === 'candidate') return fc.constantFrom('candidate:1 1 udp 2122260223 127.0.0.1 54400 typ host', 'x');
  if (name === 'clientMessageId') return fc.oneof(fc.uuid(), fc.string({ maxLength: 64 }));
  if (name === 'text')
    return fc.oneof(
      fc.lorem({ maxCount: 12 }),
      fc.constantFrom('see https://example.com/page', '😀😀😀', '**x** _y_ ~~z~~ `w`', 'line\n\nline'),
    );
  return fc.oneof(fc.lorem({ maxCount: 3 }), fc.string({ maxLength: 20 }));
}

export const stringFor = (name: string, pools: Pools): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: validShapedString(name, pools), weight: 3 }, { arbitrary: oddString, weight: 2 });

/** Page sizes and other Int arguments at their edges (and past what a 32-bit Int or a double holds). */
export const boundaryInt: fc.Arbitrary<FuzzValue> = fc.oneof(
  { arbitrary: fc.constantFrom(0, -1, 1, 19, 20, 21, 49, 50, 51, 99, 100, 101, 255, 256, 1000), weight: 4 },
  { arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, -(2 ** 53)), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.constantFrom(1.5, -0.0001, 1e21, Number.MAX_VALUE, 5e-324), weight: 1 },
  { arbitrary: fc.constantFrom('1', 'NaN', '20', ''), weight: 1 },
  {
    arbitrary: fc.constantFrom('1e400', '-0', '0x10', '01', '1.0', '9'.repeat(30)).map(($raw) => ({ $raw })),
    weight: 1,
  },
);

/** Any value at all, for an argument of another type (a wrong type). */
export const anyValue: fc.Arbitrary<FuzzValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  boundaryInt,
  oddString,
  fc.constantFrom('MESSAGE', 'OWNER', 'READY').map(($enum) => ({ $enum })),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
);
