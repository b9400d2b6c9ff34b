import { LinkPreview } from './LinkPreview.ts';
import { Message } from './Message.ts';

export const resolvers = { Message, LinkPreview };
