import { GraphQLUpload } from 'graphql-upload-minimal';
import type { Resolvers } from '../generated/resolvers.ts';
import { FileAttachment } from './FileAttachment.ts';
import { Image } from './Image.ts';
import { Mutation } from './Mutation.ts';

export const resolvers: Resolvers = {
  Upload: GraphQLUpload,
  Image,
  FileAttachment,
  Mutation,
};
