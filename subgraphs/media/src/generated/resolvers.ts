import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ImageRow } from '../data/image-repository.ts';
import type { FileRow } from '../data/file-repository.ts';
import type { DataExportRow } from '../data/export-repository.ts';
import type { MediaContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date and time in UTC, e.g. 2026-11-24T13:05:00.000Z. */
  DateTime: { input: Date | string; output: Date | string; }
  /**
   * A file sent in a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)
   * to the gateway's `/graphql`, with an `Apollo-Require-Preflight: true` header.
   */
  Upload: { input: Promise<import('@letstalk/server').FileUpload>; output: Promise<import('@letstalk/server').FileUpload>; }
  _FieldSet: { input: unknown; output: unknown; }
};

/**
 * A zip archive of the viewer's own data, made by a worker: README.txt, profile.json (profile, sign-in methods,
 * notification settings), sessions.jsonl, push-subscriptions.jsonl, chats.jsonl (the chats they are a member of),
 * messages.jsonl (the messages they sent in them, not deleted ones), blocked-users.jsonl, images.jsonl with images/
 * (their uploads, as the cleaned originals: no location or camera data) and files.jsonl with files/. Each `.jsonl`
 * holds one JSON object per line. Only its owner sees it.
 */
export type DataExport = {
  __typename?: 'DataExport';
  /** When a READY archive is deleted: 7 days after it is ready (DATA_EXPORT_TTL_MS); null otherwise. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why it failed, when FAILED (at most 200 characters); null otherwise. */
  failureReason?: Maybe<Scalars['String']['output']>;
  /** The archive's id (a UUID). */
  id: Scalars['ID']['output'];
  /** When it became READY; null before. */
  readyAt?: Maybe<Scalars['DateTime']['output']>;
  /** When it was asked for. */
  requestedAt: Scalars['DateTime']['output'];
  /** The zip's size in bytes once READY (a Float: it can pass 2 GiB); null otherwise. */
  size?: Maybe<Scalars['Float']['output']>;
  /** PREPARING, then READY (download it from `url`) or FAILED (`failureReason`). */
  status: DataExportStatus;
  /**
   * A signed download URL on the gateway's origin (`Content-Disposition: attachment`), valid for at least an hour (ask
   * again for a fresh one) while READY; null otherwise. Whoever holds it can download the archive.
   */
  url?: Maybe<Scalars['String']['output']>;
};

/** Where an archive of one's data (`exportMyData`) is: PREPARING, then READY or FAILED. */
export type DataExportStatus =
  /** It could not be made (`failureReason`); ask for another. */
  | 'FAILED'
  /** The subgraphs that hold the data are sending it, and the worker is putting it together (seconds to minutes). */
  | 'PREPARING'
  /** The archive can be downloaded from `url` until `expiresAt`. */
  | 'READY';

/**
 * A file attached to a message, of any type. It is only ever downloaded, never shown inline: its URL answers with
 * `Content-Disposition: attachment`, `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy. A
 * client gets one only through a message it may read (or its own upload).
 */
export type FileAttachment = {
  __typename?: 'FileAttachment';
  /**
   * What it is served as: the type its bytes show, else the one its name's extension stands for, else
   * `application/octet-stream`. Types a browser would render or run (HTML, XML, SVG, scripts, CSS, ...) are always
   * `application/octet-stream`. The type the uploading client declared is never used.
   */
  contentType: Scalars['String']['output'];
  /** The file's id (a UUID), as `SendMessageInput.fileId` takes it. */
  id: Scalars['ID']['output'];
  /**
   * The file name the uploader's client sent, made safe: its last path segment, without control or bidirectional
   * characters, at most 200 characters (MAX_FILE_NAME_LENGTH; a longer one is cut before its extension); "file"
   * when nothing is left. The download is saved under it.
   */
  name: Scalars['String']['output'];
  /** In bytes. */
  size: Scalars['Int']['output'];
  /**
   * A signed download URL on the gateway's origin, valid for at least an hour (ask again for a fresh one). Whoever
   * holds it can download the file: it is handed only to those who may see it.
   */
  url: Scalars['String']['output'];
};

/** What a file is for; it decides who may see it once used. */
export type FilePurpose =
  /** Attached to a message (`SendMessageInput.fileId`): seen by the members of that chat. */
  | 'MESSAGE';

/**
 * An uploaded image, or a link preview's copy of a page's image. A client gets one only through a field it may
 * read: a message, a profile, a group's photo or a link preview.
 */
export type Image = {
  __typename?: 'Image';
  /** Why processing failed, when status is FAILED (at most 200 characters); null otherwise. */
  failureReason?: Maybe<Scalars['String']['output']>;
  /** In pixels, of the upright image (EXIF orientation applied); null until READY. */
  height?: Maybe<Scalars['Int']['output']>;
  /** The image's id (a UUID), as `imageId` and `avatarImageId` take it. */
  id: Scalars['ID']['output'];
  /** Whether its variants are ready; `messageUpdated` (or `User.avatar`) shows the change. */
  status: ImageStatus;
  /**
   * A signed URL of one variant on the gateway's origin, valid for at least an hour (ask again for a fresh
   * one); null until the image is READY. Whoever holds it can load it: it is handed only to those who may see
   * the image.
   */
  url?: Maybe<Scalars['String']['output']>;
  /** In pixels, of the upright image (EXIF orientation applied); null until READY. */
  width?: Maybe<Scalars['Int']['output']>;
};


/**
 * An uploaded image, or a link preview's copy of a page's image. A client gets one only through a field it may
 * read: a message, a profile, a group's photo or a link preview.
 */
export type ImageUrlArgs = {
  variant?: ImageVariant;
};

/** What an image is for; it decides who may see it once used. */
export type ImagePurpose =
  /** A profile picture: seen by every signed-in person. */
  | 'AVATAR'
  /** A group chat's photo: seen by the members of that chat. */
  | 'CHAT_PHOTO'
  /** Attached to a message: seen by the members of that chat. */
  | 'MESSAGE';

/** Where an image is in its processing: PROCESSING, then READY or FAILED. */
export type ImageStatus =
  /** It could not be processed (see failureReason). */
  | 'FAILED'
  /** Stored; its thumbnail and display size are being made. */
  | 'PROCESSING'
  /** Its variants are ready. */
  | 'READY';

/**
 * The forms an image is served in. Every one is upright (EXIF orientation applied) and keeps the colour
 * profile, and none carries other metadata: no EXIF, XMP or IPTC (no location, no camera).
 */
export type ImageVariant =
  /** WebP that fits inside 1600 × 1600 (never enlarged). */
  | 'DISPLAY'
  /**
   * Full size, in the uploaded format (HEIF/AVIF as JPEG, or PNG when transparent), re-written without metadata
   * (range requests work).
   */
  | 'ORIGINAL'
  /** WebP that fits inside 512 × 512 (never enlarged). */
  | 'THUMBNAIL';

/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Asks for an archive of the viewer's own data (see DataExport), made by a worker; `dataExports` (or the returned
   * archive's id) shows when it is READY, usually within a minute. While one is PREPARING, asking again returns that
   * one. RATE_LIMITED past 2 archives per 24 hours (DATA_EXPORTS_PER_USER_PER_DAY; a failed one does not count).
   */
  exportMyData: DataExport;
  /**
   * Uploads a file of any type of at most 50 MiB by default (MEDIA_MAX_FILE_BYTES: the operator sets it); larger
   * is PAYLOAD_TOO_LARGE, an empty file BAD_USER_INPUT. It belongs to the uploader until used (`sendMessage` with
   * `fileId`); a file never used is deleted after a day, and a message's file once every message showing it is
   * deleted. It counts against the same limits and quotas as `uploadImage`: 30 uploads a minute, 500 MiB a day and
   * 5 GiB stored per person by default.
   */
  uploadFile: FileAttachment;
  /**
   * Uploads an image (JPEG, PNG, WebP, GIF, HEIF/AVIF, told from its bytes) of at most 20 MiB (MAX_UPLOAD_BYTES)
   * and 40 megapixels (MAX_IMAGE_PIXELS); larger is PAYLOAD_TOO_LARGE, another format or an empty file
   * BAD_USER_INPUT. It belongs to the uploader until used; an image never used is deleted after a day, and a
   * message's image once every message showing it is deleted. It is returned PROCESSING; `messageUpdated` (or
   * `User.avatar`) shows it READY. RATE_LIMITED past 30 uploads a minute (UPLOADS_PER_USER_PER_MINUTE) or 500
   * MiB a day (UPLOAD_BYTES_PER_USER_PER_DAY); PAYLOAD_TOO_LARGE when it would take the uploader's stored
   * images past 5 GiB (UPLOAD_BYTES_PER_USER_TOTAL), until they delete some. Both byte quotas are defaults.
   */
  uploadImage: Image;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationUploadFileArgs = {
  file: Scalars['Upload']['input'];
  purpose?: FilePurpose;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationUploadImageArgs = {
  file: Scalars['Upload']['input'];
  purpose?: ImagePurpose;
};

/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type Query = {
  __typename?: 'Query';
  /**
   * The viewer's archives (`exportMyData`), newest first: being prepared, ready and not expired, or failed in the last
   * day; at most 10 (DATA_EXPORTS_LISTED). UNAUTHENTICATED without a signed-in viewer.
   */
  dataExports: Array<DataExport>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  FileAttachment: FileAttachment;
  Image: Image;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  FileAttachment:
    ( { __typename: 'FileAttachment' }
    & GraphQLRecursivePick<FederationTypes['FileAttachment'], {"id":true}> );
  Image:
    ( { __typename: 'Image' }
    & GraphQLRecursivePick<FederationTypes['Image'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  DataExport: ResolverTypeWrapper<DataExportRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  DataExportStatus: DataExportStatus;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FileAttachment: ResolverTypeWrapper<FileRow>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  FilePurpose: FilePurpose;
  Image: ResolverTypeWrapper<ImageRow>;
  ImagePurpose: ImagePurpose;
  ImageStatus: ImageStatus;
  ImageVariant: ImageVariant;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Upload: ResolverTypeWrapper<Scalars['Upload']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  DataExport: DataExportRow;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  Float: Scalars['Float']['output'];
  DateTime: Scalars['DateTime']['output'];
  FileAttachment: FileRow;
  Int: Scalars['Int']['output'];
  Image: ImageRow;
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  Upload: Scalars['Upload']['output'];
  Boolean: Scalars['Boolean']['output'];
}>;

export type DataExportResolvers<ContextType = MediaContext, ParentType extends ResolversParentTypes['DataExport'] = ResolversParentTypes['DataExport']> = ResolversObject<{
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  failureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  readyAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  requestedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  size?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DataExportStatus'], ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FileAttachmentResolvers<ContextType = MediaContext, ParentType extends ResolversParentTypes['FileAttachment'] = ResolversParentTypes['FileAttachment'], FederationReferenceType extends FederationReferenceTypes['FileAttachment'] = FederationReferenceTypes['FileAttachment']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['FileAttachment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  contentType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  size?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ImageResolvers<ContextType = MediaContext, ParentType extends ResolversParentTypes['Image'] = ResolversParentTypes['Image'], FederationReferenceType extends FederationReferenceTypes['Image'] = FederationReferenceTypes['Image']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Image']> | FederationReferenceType, FederationReferenceType, ContextType>;
  failureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  height?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ImageStatus'], ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<ImageUrlArgs, 'variant'>>;
  width?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = MediaContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  exportMyData?: Resolver<ResolversTypes['DataExport'], ParentType, ContextType>;
  uploadFile?: Resolver<ResolversTypes['FileAttachment'], ParentType, ContextType, RequireFields<MutationUploadFileArgs, 'file' | 'purpose'>>;
  uploadImage?: Resolver<ResolversTypes['Image'], ParentType, ContextType, RequireFields<MutationUploadImageArgs, 'file' | 'purpose'>>;
}>;

export type QueryResolvers<ContextType = MediaContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  dataExports?: Resolver<Array<ResolversTypes['DataExport']>, ParentType, ContextType>;
}>;

export interface UploadScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Upload'], any> {
  name: 'Upload';
}

export type Resolvers<ContextType = MediaContext> = ResolversObject<{
  DataExport?: DataExportResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  FileAttachment?: FileAttachmentResolvers<ContextType>;
  Image?: ImageResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Upload?: GraphQLScalarType;
}>;

