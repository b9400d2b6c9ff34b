import { describe, expect, it } from 'vitest';
import {
  ChatUpdatedDocument,
  CreateGroupChatDocument,
  MuteChatDocument,
  RenameChatDocument,
  UnmuteChatDocument,
} from '@letstalk/sdk';
import { clientFor, collect, signUp, uniqueName, untilLive } from './helpers.ts';

describe('muting a chat through the gateway', () => {
  it('reaches the viewer’s other devices live as chatUpdated MUTED, and nobody else', async () => {
    const [alice, bob] = await Promise.all(
      ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const { createGroupChat: group } = await alice!.client.request(CreateGroupChatDocument, {
      name: 'Quiet please',
      memberIds: [bob!.userId],
    });
    // Alice's second device, and Bob's.
    const phone = clientFor(() => alice!.accessToken);
    const onPhone = collect(phone.subscribe(ChatUpdatedDocument, { chatId: group.id }));
    const onBobs = collect(bob!.client.subscribe(ChatUpdatedDocument, { chatId: group.id }));
    await untilLive(phone, bob!, group.id);
    await untilLive(bob!.client, alice!, group.id);

    const until = new Date(Date.now() + 3_600_000).toISOString();
    const { muteChat } = await alice!.client.request(MuteChatDocument, { chatId: group.id, until });
    expect(muteChat).toMatchObject({ muted: true, mutedUntil: until });
    await onPhone.until(() => onPhone.data().length === 1, 'the mute on the other device');
    expect(onPhone.data()[0]!.chatUpdated).toMatchObject({ kind: 'MUTED', chat: { muted: true, mutedUntil: until } });

    await alice!.client.request(UnmuteChatDocument, { chatId: group.id });
    await onPhone.until(() => onPhone.data().length === 2, 'the unmute');
    expect(onPhone.data()[1]!.chatUpdated.chat).toMatchObject({ muted: false, mutedUntil: null });

    // Bob hears of the rename that came after, and never of Alice's mute.
    await alice!.client.request(RenameChatDocument, { chatId: group.id, name: 'Loud again' });
    await onBobs.until(() => onBobs.data().some((data) => data.chatUpdated.kind === 'RENAMED'), 'the rename');
    expect(onBobs.data().map((data) => data.chatUpdated.kind)).toEqual(['RENAMED']);
    expect(onBobs.data()[0]!.chatUpdated.chat).toMatchObject({ muted: false });
    await Promise.all([onPhone.stop(), onBobs.stop()]);
    await Promise.all([phone.dispose(), alice!.client.dispose(), bob!.client.dispose()]);
  });
});
