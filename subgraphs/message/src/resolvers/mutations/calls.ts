import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { consumePoint, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import {
  effectiveState,
  isOpen,
  moveCall,
  startCall,
  type CallRow,
  type CallState,
} from '../../data/call-repository.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { CALL_RING_TIMEOUT_MS, MAX_ICE_CANDIDATE_LENGTH, MAX_SDP_LENGTH } from '../../limits.ts';
import { signalCall } from '../../live/signals.ts';
import { requireCall, requireChat, requireNotBlocked } from '../access.ts';

function signal(value: string, field: string, max: number): string {
  if (value.trim() === '') throw badUserInput(`${field} is empty.`, field);
  if (value.length > max) throw badUserInput(`${field} has at most ${max} characters.`, field);
  return value;
}

async function move(context: MessageContext, call: CallRow, from: CallState[], to: CallState, answer?: string) {
  const moved = await moveCall(context.db, call, from, to, answer);
  if (!moved)
    throw badUserInput(
      `The call is ${effectiveState(call).toLowerCase()}; it cannot be ${to.toLowerCase()} now.`,
      'callId',
    );
  return moved;
}

export const callMutations: MutationResolvers<MessageContext> = {
  async startCall(_parent, { chatId, offer }, context) {
    const viewer = requireViewer(context);
    const chat = await requireChat(context, chatId);
    if (chat.kind !== 'DIRECT') throw forbidden('Calls are for direct chats.');
    await requireNotBlocked(context.db, chat);
    const members = await context.loaders.members.load(chat.id);
    const callee = members.find((member) => member.userId !== viewer.userId);
    if (!callee) throw badUserInput('Nobody else is in this chat to call.', 'chatId');
    signal(offer, 'offer', MAX_SDP_LENGTH);
    await consumePoint(context.services.callLimiter, viewer.userId);
    const outcome = await startCall(context.db, {
      chatId: chat.id,
      callerId: viewer.userId,
      calleeId: callee.userId,
      offer,
    });
    if (outcome.kind === 'not-member') throw notFound('No such chat.');
    if (outcome.kind === 'busy') throw badUserInput('There is a call in this chat already.', 'chatId');
    signalCall(context.services.nc, outcome.call, 'OFFERED');
    // Marks the call missed when nobody answers; if this process stops first, readers see it as missed anyway.
    const timer = setTimeout(() => {
      context.services.ringTimers.delete(timer);
      moveCall(context.db, outcome.call, ['RINGING'], 'MISSED').then(
        (missed) => missed && signalCall(context.services.nc, missed, 'MISSED'),
        (error: unknown) => context.log.warn({ err: error }, 'could not mark a call missed'),
      );
    }, CALL_RING_TIMEOUT_MS);
    timer.unref();
    context.services.ringTimers.add(timer);
    return outcome.call;
  },

  async answerCall(_parent, { callId, answer }, context) {
    const call = await requireCall(context, callId);
    if (call.calleeId !== context.viewer?.userId) throw forbidden('Only the person called can answer.');
    signal(answer, 'answer', MAX_SDP_LENGTH);
    await consumePoint(context.services.callLimiter, call.calleeId);
    const answered = await move(context, call, ['RINGING'], 'ACTIVE', answer);
    signalCall(context.services.nc, answered, 'ANSWERED');
    return answered;
  },

  async declineCall(_parent, { callId }, context) {
    const call = await requireCall(context, callId);
    if (call.calleeId !== context.viewer?.userId) throw forbidden('Only the person called can decline.');
    const declined = await move(context, call, ['RINGING'], 'DECLINED');
    signalCall(context.services.nc, declined, 'DECLINED');
    return declined;
  },

  async endCall(_parent, { callId }, context) {
    const call = await requireCall(context, callId);
    const ended = await move(context, call, ['RINGING', 'ACTIVE'], 'ENDED');
    signalCall(context.services.nc, ended, 'ENDED');
    return ended;
  },

  async sendIceCandidate(_parent, { callId, candidate }, context) {
    const call = await requireCall(context, callId);
    const viewerId = context.viewer?.userId;
    signal(candidate, 'candidate', MAX_ICE_CANDIDATE_LENGTH);
    if (!isOpen(call)) throw badUserInput(`The call is ${effectiveState(call).toLowerCase()}.`, 'callId');
    await consumePoint(context.services.callLimiter, viewerId ?? '');
    signalCall(context.services.nc, call, 'ICE_CANDIDATE', {
      to: call.callerId === viewerId ? call.calleeId : call.callerId,
      candidate,
    });
    return true;
  },
};
