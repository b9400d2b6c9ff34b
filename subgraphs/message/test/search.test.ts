import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@letstalk/testing';
import { MAX_SEARCH_WORDS, SEARCH_EXCERPT_LENGTH } from '../src/limits.ts';
import { group, send, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

const SEARCH = `query($query: String!, $chatId: ID, $first: Int, $after: String) {
  searchMessages(query: $query, chatId: $chatId, first: $first, after: $after) {
    edges { cursor node { id text } excerpt { text match } }
    pageInfo { hasNextPage endCursor }
  }
}`;
type Page = {
  edges: { cursor: string; node: { id: string; text: string }; excerpt: { text: string; match: boolean }[] }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};
const search = async (person: Person, variables: Record<string, unknown>) =>
  (await person.call<{ searchMessages: Page }>(SEARCH, variables)).data?.searchMessages;
const texts = (page: Page | undefined) => page?.edges.map((edge) => edge.node.text);
/** Waits for the index (it follows message events) to answer `expected`. */
const until = async (person: Person, variables: Record<string, unknown>, expected: string[]) => {
  await waitUntil(
    async () => JSON.stringify(texts(await search(person, variables))) === JSON.stringify(expected),
    `search ${JSON.stringify(variables)} to find ${JSON.stringify(expected)}`,
    // A new indexer first reads the last minutes of events of every deployment sharing the stream.
    { timeoutMs: 30_000 },
  );
};

describe('message search', () => {
  it('finds messages with every word as a prefix, newest first, with the match highlighted', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await group(alice, [bob])).id;
    const tag = `zq${randomUUID().slice(0, 8)}`;
    await send(alice, chatId, `The ${tag} deployment failed again`);
    await send(bob, chatId, `Deploying ${tag} now, then lunch`);
    await send(bob, chatId, `nothing about it here`);
    await until(bob, { query: `deploy ${tag}` }, [
      `Deploying ${tag} now, then lunch`,
      `The ${tag} deployment failed again`,
    ]);
    const page = await search(bob, { query: `DEPLOY ${tag}` });
    expect(page?.edges[1]?.excerpt).toEqual([
      { text: 'The ', match: false },
      { text: tag, match: true },
      { text: ' ', match: false },
      { text: 'deployment', match: true },
      { text: ' failed again', match: false },
    ]);
    // Both words are needed.
    expect(texts(await search(bob, { query: `${tag} lunch` }))).toEqual([`Deploying ${tag} now, then lunch`]);
  });

  it('searches only the viewer’s chats, from when they joined; follows edits and deletions', async () => {
    const [alice, bob, carol] = (await harness.people(3)) as [Person, Person, Person];
    const chatId = (await group(alice, [bob])).id;
    const tag = `zq${randomUUID().slice(0, 8)}`;
    await send(alice, chatId, `before carol ${tag}`);
    await until(alice, { query: tag }, [`before carol ${tag}`]);
    expect(texts(await search(carol, { query: tag }))).toEqual([]);
    await alice.call('mutation($c: ID!, $u: [ID!]!) { addChatMembers(chatId: $c, userIds: $u) { id } }', {
      c: chatId,
      u: [carol.id],
    });
    const later = await send(alice, chatId, `after carol ${tag}`);
    await until(carol, { query: tag }, [`after carol ${tag}`]);
    expect(texts(await search(alice, { query: tag }))).toEqual([`after carol ${tag}`, `before carol ${tag}`]);

    await alice.call('mutation($id: ID!, $t: String!) { editMessage(messageId: $id, text: $t) { id } }', {
      id: later.id,
      t: `edited ${tag}x`,
    });
    await until(carol, { query: `edited ${tag}` }, [`edited ${tag}x`]);
    await until(carol, { query: `after ${tag}` }, []);
    await alice.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: later.id });
    await until(alice, { query: tag }, [`before carol ${tag}`]);
  });

  it('pages with after, keeps to one chat with chatId, and refuses bad input', async () => {
    const [alice, bob, eve] = (await harness.people(3)) as [Person, Person, Person];
    const one = (await group(alice, [bob], 'one')).id;
    const two = (await group(alice, [bob], 'two')).id;
    const tag = `zq${randomUUID().slice(0, 8)}`;
    for (let index = 1; index <= 5; index += 1) await send(alice, index % 2 ? one : two, `${tag} number ${index}`);
    await until(
      alice,
      { query: tag, first: 50 },
      [5, 4, 3, 2, 1].map((n) => `${tag} number ${n}`),
    );
    const first = await search(alice, { query: tag, first: 2 });
    expect(texts(first)).toEqual([`${tag} number 5`, `${tag} number 4`]);
    expect(first?.pageInfo.hasNextPage).toBe(true);
    const second = await search(alice, { query: tag, first: 2, after: first?.pageInfo.endCursor });
    expect(texts(second)).toEqual([`${tag} number 3`, `${tag} number 2`]);
    expect(texts(await search(alice, { query: tag, chatId: two }))).toEqual([`${tag} number 4`, `${tag} number 2`]);
    expect((await eve.call(SEARCH, { query: tag, chatId: two })).code).toBe('NOT_FOUND');

    const long = 'word '.repeat(30);
    const many = Array.from({ length: MAX_SEARCH_WORDS + 1 }, (_, index) => `word${index}`).join(' ');
    for (const variables of [
      { query: 'a an' },
      { query: '  ' },
      { query: long },
      { query: many },
      { query: tag, first: 0 },
      { query: tag, first: 51 },
      { query: tag, after: 'nonsense' },
      { query: '+*"()~<>@' },
    ])
      expect((await alice.call(SEARCH, variables)).code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    // Written into the document rather than as a variable, the limits hold the same.
    expect((await alice.call('{ searchMessages(query: "a an") { edges { cursor } } }')).code).toBe('BAD_USER_INPUT');
    expect((await alice.call(`{ searchMessages(query: "${tag}", first: 51) { edges { cursor } } }`)).code).toBe(
      'BAD_USER_INPUT',
    );
    // Operators in a query are only punctuation: they never reach the index as operators.
    expect(texts(await search(alice, { query: `-${tag} +"number"` }))).toHaveLength(5);
  });

  it(`shows at most ${SEARCH_EXCERPT_LENGTH} characters around the first match`, async () => {
    const [alice] = (await harness.people(1)) as [Person];
    const chatId = (await group(alice, [], 'notes')).id;
    const tag = `zq${randomUUID().slice(0, 8)}`;
    await send(alice, chatId, `${'lorem '.repeat(60)}${tag} ${'ipsum '.repeat(60)}`);
    await until(alice, { query: tag }, [`${'lorem '.repeat(60)}${tag} ${'ipsum '.repeat(60)}`.trim()]);
    const excerpt = (await search(alice, { query: tag }))!.edges[0]!.excerpt;
    const shown = excerpt.map((span) => span.text).join('');
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect([...shown].length).toBeLessThanOrEqual(SEARCH_EXCERPT_LENGTH + 2);
    expect(excerpt.filter((span) => span.match)).toEqual([{ text: tag, match: true }]);
  });
});
