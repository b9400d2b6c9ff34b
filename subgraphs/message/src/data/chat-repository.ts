import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { chatCreated, chatMembersChanged, chatPhotoChanged, chatRenamed, enqueueEvent } from '@letstalk/events';
import type { MessageDb, MessageTx } from './tables.ts';
import { chatMembers, chats, userChats } from './tables.ts';

type ChatRow = typeof chats.$inferSelect;
export type MemberRow = typeof chatMembers.$inferSelect;
export type Role = MemberRow['role'];
/** A chat as one member sees it. */
/**
 * What a mute without an end is stored as (`muteChat` without `until`), so that "muted" is one comparison of
 * `muted_until` with the time, whatever the mute.
 */
export const MUTED_FOREVER = new Date(Date.UTC(9999, 11, 31));

export type ChatView = ChatRow & {
  viewerRole: Role;
  viewerReadSeq: number;
  /** Until when the viewer muted the chat (MUTED_FOREVER: until they unmute it); null when not muted. */
  viewerMutedUntil: Date | null;
  counterpartDisplayName?: string;
};

/** The chats of `ids` that `userId` is a member of, with the member's role and read mark. */
export async function findChatsForMember(db: MessageDb, userId: string, ids: readonly string[]): Promise<ChatView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ chat: chats, role: chatMembers.role, readSeq: chatMembers.readSeq, mutedUntil: chatMembers.mutedUntil })
    .from(chats)
    .innerJoin(chatMembers, and(eq(chatMembers.chatId, chats.id), eq(chatMembers.userId, userId)))
    .where(inArray(chats.id, [...ids]));
  return rows.map((row) => ({
    ...row.chat,
    viewerRole: row.role,
    viewerReadSeq: row.readSeq,
    viewerMutedUntil: row.mutedUntil,
  }));
}

export async function findMembers(db: MessageDb, chatIds: readonly string[]): Promise<MemberRow[]> {
  if (chatIds.length === 0) return [];
  return db
    .select()
    .from(chatMembers)
    .where(inArray(chatMembers.chatId, [...chatIds]))
    .orderBy(asc(chatMembers.joinedAt), asc(chatMembers.userId));
}

/**
 * The user ids of a chat's members, read from the primary key alone (the live fan-out reads them for every
 * event: one column, not five, for each of hundreds of members).
 */
export async function findMemberIds(db: MessageDb, chatId: string): Promise<string[]> {
  const rows = await db.select({ userId: chatMembers.userId }).from(chatMembers).where(eq(chatMembers.chatId, chatId));
  return rows.map((row) => row.userId);
}

/** Locks the chat row (every change of a chat serializes on it) and returns it with the member's role. */
export async function lockChatForMember(tx: MessageTx, chatId: string, userId: string) {
  // One statement: the join locks the member's row too, which changes of the chat lock anyway.
  const [row] = await tx
    .select({ chat: chats, member: chatMembers })
    .from(chats)
    .innerJoin(chatMembers, and(eq(chatMembers.chatId, chats.id), eq(chatMembers.userId, userId)))
    .where(eq(chats.id, chatId))
    .for('update');
  return row;
}

async function insertMembers(tx: MessageTx, chatId: string, members: { userId: string; role: Role }[], at: Date) {
  if (members.length === 0) return;
  await tx.insert(chatMembers).values(members.map((member) => ({ chatId, ...member, joinedAt: at })));
  await tx.insert(userChats).values(members.map(({ userId }) => ({ userId, chatId, lastActivityAt: at })));
}

const directKeyOf = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Get-or-create of the direct chat of two people; the unique direct key settles concurrent calls. */
export async function findOrCreateDirectChat(db: MessageDb, viewerId: string, otherId: string): Promise<string> {
  const directKey = directKeyOf(viewerId, otherId);
  const existing = async () =>
    (await db.select({ id: chats.id }).from(chats).where(eq(chats.directKey, directKey)))[0]?.id;
  const found = await existing();
  if (found) return found;
  const chatId = uuidv7();
  const memberIds = [...new Set([viewerId, otherId])];
  try {
    await db.transaction(async (tx) => {
      const now = new Date();
      await tx.insert(chats).values({ id: chatId, kind: 'DIRECT', directKey, lastActivityAt: now, createdAt: now });
      await insertMembers(
        tx,
        chatId,
        memberIds.map((userId) => ({ userId, role: 'MEMBER' as const })),
        now,
      );
      await enqueueEvent(tx, chatCreated, { chatId, kind: 'DIRECT', createdBy: viewerId, memberIds });
    });
    return chatId;
  } catch (error) {
    // The other side created it at the same moment: theirs is the chat.
    const raced = await existing();
    if (raced) return raced;
    throw error;
  }
}

export async function createGroupChat(db: MessageDb, ownerId: string, name: string, memberIds: string[]) {
  const chatId = uuidv7();
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx.insert(chats).values({ id: chatId, kind: 'GROUP', name, lastActivityAt: now, createdAt: now });
    await insertMembers(
      tx,
      chatId,
      [{ userId: ownerId, role: 'OWNER' }, ...memberIds.map((userId) => ({ userId, role: 'MEMBER' as const }))],
      now,
    );
    await enqueueEvent(tx, chatCreated, {
      chatId,
      kind: 'GROUP',
      createdBy: ownerId,
      memberIds: [ownerId, ...memberIds],
    });
  });
  return chatId;
}

export async function renameChat(tx: MessageTx, chatId: string, name: string, renamedBy: string) {
  await tx.update(chats).set({ name }).where(eq(chats.id, chatId));
  await enqueueEvent(tx, chatRenamed, { chatId, name, renamedBy });
}

/** Sets or removes a group's photo inside the caller's transaction (which holds the chat lock). */
export async function setChatPhoto(tx: MessageTx, chat: ChatView, photoImageId: string | null, changedBy: string) {
  await tx.update(chats).set({ photoImageId }).where(eq(chats.id, chat.id));
  const replaced = chat.photoImageId && chat.photoImageId !== photoImageId ? chat.photoImageId : null;
  await enqueueEvent(tx, chatPhotoChanged, {
    chatId: chat.id,
    photoImageId,
    replacedPhotoImageId: replaced,
    changedBy,
  });
}

async function memberIdsOf(tx: MessageTx, chatId: string): Promise<string[]> {
  const rows = await tx.select({ userId: chatMembers.userId }).from(chatMembers).where(eq(chatMembers.chatId, chatId));
  return rows.map((row) => row.userId);
}

/**
 * Applies a membership change inside the caller's transaction (which holds the chat lock) and records
 * it as one `chat.members-changed` event.
 */
export async function changeMembers(
  tx: MessageTx,
  chatId: string,
  changedBy: string,
  change: { add?: string[]; remove?: string[]; roles?: { userId: string; role: Role }[] },
): Promise<void> {
  const now = new Date();
  const add = change.add ?? [];
  const remove = change.remove ?? [];
  const roles = change.roles ?? [];
  await insertMembers(
    tx,
    chatId,
    add.map((userId) => ({ userId, role: 'MEMBER' as const })),
    now,
  );
  if (remove.length > 0) {
    await tx.delete(chatMembers).where(and(eq(chatMembers.chatId, chatId), inArray(chatMembers.userId, remove)));
    await tx.delete(userChats).where(and(eq(userChats.chatId, chatId), inArray(userChats.userId, remove)));
  }
  for (const { userId, role } of roles) {
    await tx
      .update(chatMembers)
      .set({ role })
      .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, userId)));
  }
  await enqueueEvent(tx, chatMembersChanged, {
    chatId,
    changedBy,
    added: add,
    removed: remove,
    roles,
    memberIds: await memberIdsOf(tx, chatId),
  });
}

export async function membersInTx(tx: MessageTx, chatId: string): Promise<MemberRow[]> {
  return tx
    .select()
    .from(chatMembers)
    .where(eq(chatMembers.chatId, chatId))
    .orderBy(asc(chatMembers.joinedAt), asc(chatMembers.userId));
}

export interface ChatListKey {
  lastActivityAt: Date;
  chatId: string;
}

/** A page of the member's chat list, most recent activity first (one index range of `user_chats`). */
export async function listChatIds(
  db: MessageDb,
  userId: string,
  first: number,
  after?: ChatListKey,
): Promise<ChatListKey[]> {
  return db
    .select({ chatId: userChats.chatId, lastActivityAt: userChats.lastActivityAt })
    .from(userChats)
    .where(
      and(
        eq(userChats.userId, userId),
        after
          ? or(
              lt(userChats.lastActivityAt, after.lastActivityAt),
              and(eq(userChats.lastActivityAt, after.lastActivityAt), lt(userChats.chatId, after.chatId)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(userChats.lastActivityAt), desc(userChats.chatId))
    .limit(first + 1);
}

/** Moves the chat to the top of every member's list (inside the send transaction). */
/**
 * What a sent message changes besides itself, in one statement: the chat's last sequence number and activity,
 * every member's chat-list entry, and the sender's read mark (they have read their own message).
 */
export async function recordSend(tx: MessageTx, chatId: string, senderId: string, at: Date, seq: number) {
  await tx.execute(sql`
    UPDATE ${chats}
      JOIN ${chatMembers} ON ${chatMembers.chatId} = ${chats.id} AND ${chatMembers.userId} = ${senderId}
      JOIN ${userChats} ON ${userChats.chatId} = ${chats.id}
    SET ${chats.lastSeq} = ${seq}, ${chats.lastActivityAt} = ${at}, ${userChats.lastActivityAt} = ${at},
      ${chatMembers.readSeq} = ${seq}
    WHERE ${chats.id} = ${chatId}`);
}
