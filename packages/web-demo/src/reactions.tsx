import type { MessageFieldsFragment } from '@letstalk/sdk';

/** A sent message's reactions: one toggle per emoji, pressed when the viewer is among those who reacted. */
export function ReactionChips(props: {
  reactions: MessageFieldsFragment['reactions'];
  onToggle: (emoji: string, add: boolean) => void;
}) {
  if (props.reactions.length === 0) return null;
  return (
    <div class="reactions" data-testid="reactions">
      {props.reactions.map((reaction) => (
        <button
          type="button"
          key={reaction.emoji}
          class="reaction"
          aria-pressed={reaction.viewerReacted}
          title={reaction.viewerReacted ? `Take your ${reaction.emoji} back` : `React with ${reaction.emoji} too`}
          onClick={() => props.onToggle(reaction.emoji, !reaction.viewerReacted)}
        >
          {reaction.emoji} {reaction.count}
        </button>
      ))}
    </div>
  );
}
