import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { LinkPreviewView } from '../data/link-preview-view.ts';
import type { PreviewContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date and time in UTC, e.g. 2026-11-24T13:05:00.000Z. */
  DateTime: { input: Date | string; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type Image = {
  __typename?: 'Image';
  id: Scalars['ID']['output'];
};

/**
 * What a linked page says about itself (Open Graph, Twitter card, `<title>` and `<meta name=description>`),
 * fetched by the server: clients never load anything from the linked site to show it.
 */
export type LinkPreview = {
  __typename?: 'LinkPreview';
  /** At most 1,000 characters (MAX_DESCRIPTION_LENGTH); null until READY, or when the page has none. */
  description?: Maybe<Scalars['String']['output']>;
  /**
   * The page's `og:image`, fetched by the server and stored like an upload (a copy: never a third-party URL
   * that would tell that site who reads the chat). Null when the page names none or it could not be used.
   */
  image?: Maybe<Image>;
  /** At most 100 characters (MAX_SITE_NAME_LENGTH); null until READY, or when the page has none. */
  siteName?: Maybe<Scalars['String']['output']>;
  /** PENDING, READY or FAILED; only a READY preview has a title, description, site name or image. */
  status: LinkPreviewStatus;
  /** At most 300 characters (MAX_TITLE_LENGTH); null until READY, or when the page has none. */
  title?: Maybe<Scalars['String']['output']>;
  /** The message's first http(s) link, normalized as in `TextSpan.link`. */
  url: Scalars['String']['output'];
};

/** Where a link preview is: PENDING, then READY or FAILED. */
export type LinkPreviewStatus =
  /** The page could not be previewed (unreachable, not HTML, too slow, not allowed, or nothing to show). */
  | 'FAILED'
  /** The page is being fetched. */
  | 'PENDING'
  /** The page was read: title, description, site name and image are what it says about itself. */
  | 'READY';

export type Message = {
  __typename?: 'Message';
  createdAt: Scalars['DateTime']['output'];
  firstLink?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /**
   * A card for the first http(s) link of the text: null when there is none. PENDING while the server fetches
   * the page (members then receive `messageUpdated` with it READY or FAILED); a link seen recently is READY at
   * once. Previews are shared by every message with the same link and refreshed after a day.
   */
  linkPreview?: Maybe<LinkPreview>;
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
  Message: Message;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Message:
    ( { __typename: 'Message' }
    & GraphQLRecursivePick<FederationTypes['Message'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Message'], {"firstLink":true,"createdAt":true}> ) );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Image: ResolverTypeWrapper<Image>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  LinkPreview: ResolverTypeWrapper<LinkPreviewView>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  LinkPreviewStatus: LinkPreviewStatus;
  Message: ResolverTypeWrapper<Omit<Message, 'linkPreview'> & { linkPreview?: Maybe<ResolversTypes['LinkPreview']> }>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  DateTime: Scalars['DateTime']['output'];
  Image: Image;
  ID: Scalars['ID']['output'];
  LinkPreview: LinkPreviewView;
  String: Scalars['String']['output'];
  Message: Omit<Message, 'linkPreview'> & { linkPreview?: Maybe<ResolversParentTypes['LinkPreview']> } | FederationReferenceTypes['Message'];
  Boolean: Scalars['Boolean']['output'];
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ImageResolvers<ContextType = PreviewContext, ParentType extends ResolversParentTypes['Image'] = ResolversParentTypes['Image']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type LinkPreviewResolvers<ContextType = PreviewContext, ParentType extends ResolversParentTypes['LinkPreview'] = ResolversParentTypes['LinkPreview']> = ResolversObject<{
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  image?: Resolver<Maybe<ResolversTypes['Image']>, ParentType, ContextType>;
  siteName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['LinkPreviewStatus'], ParentType, ContextType>;
  title?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MessageResolvers<ContextType = PreviewContext, ParentType extends ResolversParentTypes['Message'] = ResolversParentTypes['Message'], FederationReferenceType extends FederationReferenceTypes['Message'] = FederationReferenceTypes['Message']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Message']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  linkPreview?: Resolver<Maybe<ResolversTypes['LinkPreview']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = PreviewContext> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  Image?: ImageResolvers<ContextType>;
  LinkPreview?: LinkPreviewResolvers<ContextType>;
  Message?: MessageResolvers<ContextType>;
}>;

