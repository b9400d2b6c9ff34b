import { GraphQLUpload } from 'graphql-upload-minimal';
import { DateTime } from '@letstalk/server';
import type { Resolvers } from '../generated/resolvers.ts';
import { DataExport } from './DataExport.ts';
import { FileAttachment } from './FileAttachment.ts';
import { Image } from './Image.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';

export const resolvers: Resolvers = {
  Upload: GraphQLUpload,
  DateTime,
  Image,
  FileAttachment,
  DataExport,
  Query,
  Mutation,
};
