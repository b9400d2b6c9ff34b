import { describe, expect, it } from 'vitest';
import { chatLink, chatOfLink, chatOfMessage, openChatMessage, withoutChat } from '../chat-link.ts';
import { chatIdOf, notificationOf, parsePayload } from './notification.ts';

describe("the demo service worker's notification", () => {
  it('shows the title and body the notification worker sent, tagged per chat, with the chat to open', () => {
    const payload = parsePayload(
      JSON.stringify({ title: 'Bob', body: 'see you (+1 more)', chatId: 'c1', messages: 2 }),
    );
    expect(notificationOf(payload)).toEqual({
      title: 'Bob',
      options: { body: 'see you (+1 more)', tag: 'chat:c1', data: { chatId: 'c1' } },
    });
    expect(chatIdOf(notificationOf(payload).options.data)).toBe('c1');
  });

  it('still shows something for a payload that is not ours', () => {
    for (const text of [undefined, '', 'not json', '42', '{"title":7}'])
      expect(notificationOf(parsePayload(text))).toEqual({
        title: 'LetsTalk',
        options: { body: 'New message', tag: 'chat:unknown', data: { chatId: undefined } },
      });
  });
});

describe('opening a chat from a notification', () => {
  it('links to the demo root with the chat, which the page reads back (and drops once open)', () => {
    const link = chatLink('http://127.0.0.1:5173/demo/', 'a b&c');
    expect(link).toBe('http://127.0.0.1:5173/demo/?chat=a+b%26c');
    expect(chatOfLink(link)).toBe('a b&c');
    expect(chatOfLink('http://127.0.0.1:5173/demo/?gateway=x')).toBeUndefined();
    expect(withoutChat(`${link}&gateway=x`)).toBe('http://127.0.0.1:5173/demo/?gateway=x');
  });

  it('tells an open window which chat to open, and nothing else is taken for that', () => {
    expect(chatOfMessage(openChatMessage('c1'))).toBe('c1');
    for (const other of [undefined, 'c1', { chatId: 'c1' }, { type: 'letstalk:open-chat', chatId: 5 }])
      expect(chatOfMessage(other)).toBeUndefined();
  });
});
