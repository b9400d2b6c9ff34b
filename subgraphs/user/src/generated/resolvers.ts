import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { UserRow } from '../data/user-repository.ts';
import type { UserContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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
  _FieldSet: { input: unknown; output: unknown; }
};

/** What every sign-in and `refreshSession` return: a new access token, a new refresh token and the account. */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  /**
   * A JWT for `Authorization: Bearer ...` (HTTP) or `connection_init` (graphql-ws), valid for 15 minutes
   * (ACCESS_TOKEN_TTL_SECONDS).
   */
  accessToken: Scalars['String']['output'];
  /** When `accessToken` expires; call `refreshSession` before then. */
  accessTokenExpiresAt: Scalars['DateTime']['output'];
  /** True when this sign-in created the account; always false from `refreshSession`. */
  isNewUser: Scalars['Boolean']['output'];
  /** An opaque token for `refreshSession`; single use (a 30-second grace for a repeated exchange), valid for 30 days. */
  refreshToken: Scalars['String']['output'];
  /**
   * When `refreshToken` expires: 30 days after it was issued (REFRESH_TOKEN_TTL_SECONDS), and never after the
   * session ends (90 days after sign-in, SESSION_MAX_LIFETIME_SECONDS).
   */
  refreshTokenExpiresAt: Scalars['DateTime']['output'];
  /** The signed-in account (its `email` is visible here). */
  user: User;
};

/**
 * The answer to `requestEmailCode`: where the code went and until when it works. It is the same whether or not
 * an account exists for the address.
 */
export type EmailCodeRequest = {
  __typename?: 'EmailCodeRequest';
  /** The number of digits in the code: 6 (EMAIL_CODE_LENGTH). */
  codeLength: Scalars['Int']['output'];
  /** The address the code was sent to, normalized. */
  email: Scalars['String']['output'];
  /** When the code stops working: 10 minutes after it was sent (EMAIL_CODE_TTL_SECONDS). */
  expiresAt: Scalars['DateTime']['output'];
};

export type Image = {
  __typename?: 'Image';
  id: Scalars['ID']['output'];
};

/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Deletes the viewer's account for good: name, email, profile picture, every sign-in method and every session
   * (live connections end at once). Messages in others' chats stay, sent by "Deleted user"; signing in again makes a
   * new account. Only within 10 minutes of signing in (ACCOUNT_DELETION_SIGN_IN_WINDOW_MS), so a session left open
   * cannot: sign in again first, else FORBIDDEN with `extensions.reason: RECENT_SIGN_IN_REQUIRED`. Always true.
   */
  deleteAccount: Scalars['Boolean']['output'];
  /**
   * Trades a refresh token for a new access token and a new refresh token. The same token again within 30 s,
   * while its successor is unused (two tabs, a retried request), answers that same successor; any other reuse
   * revokes the whole session. A session ends 90 days after sign-in. UNAUTHENTICATED when the token is unknown,
   * expired or reused; not rate-limited. Send it without the expired access token.
   */
  refreshSession: AuthPayload;
  /**
   * Registers the browser the viewer is on for Web Push notifications: `PushSubscription.toJSON()` of a subscription
   * made with `NotificationSettings.vapidPublicKey`. The endpoint must be an https URL of a public push service
   * (BAD_USER_INPUT `endpoint` otherwise, at most 1024 characters: MAX_PUSH_ENDPOINT_LENGTH); the keys must have
   * their sizes (`p256dh`, `auth`). An endpoint registered by someone else becomes the viewer's. A person keeps
   * 10 browsers (MAX_PUSH_SUBSCRIPTIONS_PER_USER): one more forgets the oldest. UNAVAILABLE when push is not
   * configured on this server; RATE_LIMITED past 30 notification changes an hour
   * (NOTIFICATION_CHANGES_PER_USER_PER_HOUR).
   */
  registerPushSubscription: PushSubscription;
  /**
   * Emails a 6-digit sign-in code, valid for 10 minutes. The answer is the same whether or not an account
   * exists for the address. FORBIDDEN when email sign-in is not enabled; RATE_LIMITED past 5 codes an hour for
   * one address from one client network, 20 for one address, or 30 from one client network.
   */
  requestEmailCode: EmailCodeRequest;
  /**
   * Signs in (creating the account on first use) with the code from `requestEmailCode`. UNAUTHENTICATED when
   * the code is wrong, expired or used (5 wrong tries destroy it); RATE_LIMITED after 10 wrong codes for the
   * address in an hour (then even the right one, until the hour ends), 5 from one client network, or 60
   * attempts from one client network in 10 minutes.
   */
  signInWithEmailCode: AuthPayload;
  /**
   * Signs in with a Facebook user access token issued to this server's Facebook app, creating the account on
   * first use. FORBIDDEN when Facebook sign-in is not enabled; UNAUTHENTICATED when the token is invalid,
   * expired or for another app; RATE_LIMITED as `signInWithOidc`.
   */
  signInWithFacebook: AuthPayload;
  /**
   * Signs in with an ID token from a configured OpenID Connect provider (Google, Apple, Microsoft, ...),
   * creating the account on first use. UNAUTHENTICATED when the token is invalid or expired; RATE_LIMITED past
   * 300 provider sign-ins per client network per 10 minutes (PROVIDER_SIGN_INS_PER_IP_PER_10_MINUTES).
   */
  signInWithOidc: AuthPayload;
  /**
   * Ends the session of the access token used: its refresh token, its access tokens and its live connections
   * stop at once. Always true.
   */
  signOut: Scalars['Boolean']['output'];
  /**
   * Stops push notifications to a browser of the viewer's (by its endpoint); false when it was not registered.
   * RATE_LIMITED as for `registerPushSubscription`.
   */
  unregisterPushSubscription: Scalars['Boolean']['output'];
  /** Changes the viewer's notification settings (the fields given); RATE_LIMITED as for `registerPushSubscription`. */
  updateNotificationSettings: NotificationSettings;
  /**
   * Changes the viewer's name or profile picture (only the fields given) and returns the profile. NOT_FOUND
   * when `avatarImageId` is not the viewer's own AVATAR upload; RATE_LIMITED past 20 updates an hour
   * (PROFILE_UPDATES_PER_USER_PER_HOUR).
   */
  updateProfile: User;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationRegisterPushSubscriptionArgs = {
  input: PushSubscriptionInput;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationRequestEmailCodeArgs = {
  email: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSignInWithEmailCodeArgs = {
  code: Scalars['String']['input'];
  email: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSignInWithFacebookArgs = {
  accessToken: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSignInWithOidcArgs = {
  idToken: Scalars['String']['input'];
  provider: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationUnregisterPushSubscriptionArgs = {
  endpoint: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationUpdateNotificationSettingsArgs = {
  input: NotificationSettingsInput;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationUpdateProfileArgs = {
  input: UpdateProfileInput;
};

/** How the viewer is told of messages while none of their devices is connected. */
export type NotificationSettings = {
  __typename?: 'NotificationSettings';
  /** Whether unread messages are emailed as a digest when the viewer has no browser registered for push. */
  emailDigest: Scalars['Boolean']['output'];
  /** The browsers the viewer gets push notifications on, newest first. */
  pushSubscriptions: Array<PushSubscription>;
  /** Whether a notification shows the sender and the start of the message; when false, only that a message came. */
  showPreviews: Scalars['Boolean']['output'];
  /**
   * The server's VAPID public key (base64url), the `applicationServerKey` of `pushManager.subscribe`; null when push
   * is not configured on this server.
   */
  vapidPublicKey?: Maybe<Scalars['String']['output']>;
};

/** Changes to the notification settings: only the fields given change. */
export type NotificationSettingsInput = {
  /** Email a digest of unread messages when no browser is registered for push. */
  emailDigest?: InputMaybe<Scalars['Boolean']['input']>;
  /** Show the sender and the start of the message in notifications. */
  showPreviews?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Where a page of a connection sits in the whole list (Relay cursor connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the page's last edge; null when the page is empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /**
   * With `first`/`after`: whether more items follow `endCursor` (pass it as `after`). With `last`/`before`:
   * whether `before` was given.
   */
  hasNextPage: Scalars['Boolean']['output'];
  /**
   * With `first`/`after`: whether `after` was given. With `last`/`before`: whether more items come before
   * `startCursor` (pass it as `before`).
   */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the page's first edge; null when the page is empty. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A browser registered for push notifications. */
export type PushSubscription = {
  __typename?: 'PushSubscription';
  /** When it was registered (or registered again). */
  createdAt: Scalars['DateTime']['output'];
  /** The push service's endpoint URL. */
  endpoint: Scalars['String']['output'];
  /** The subscription's id. */
  id: Scalars['ID']['output'];
};

/**
 * A browser's push subscription: the `endpoint` of `PushSubscription.toJSON()`, and its `keys.p256dh` and `keys.auth`
 * as two fields.
 */
export type PushSubscriptionInput = {
  /** The authentication secret, base64url (16 bytes). */
  auth: Scalars['String']['input'];
  /** The push service's URL for this browser. */
  endpoint: Scalars['String']['input'];
  /** The browser's P-256 public key, base64url (65 bytes). */
  p256dh: Scalars['String']['input'];
};

/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type Query = {
  __typename?: 'Query';
  /** The signed-in user. UNAUTHENTICATED without a valid access token. */
  me: User;
  /** The viewer's notification settings and the browsers they get push notifications on. */
  notificationSettings: NotificationSettings;
  /** The sign-in methods this server accepts, so a client can show the right buttons. Needs no sign-in. */
  signInMethods: SignInMethods;
  /** One person's profile; null when there is no such account. */
  user?: Maybe<User>;
  /**
   * The directory: people whose first name, last name or full name starts with `search`, or whose email is
   * exactly `search`; everyone when `search` is empty. Sorted by name, cursor-paginated.
   */
  users: UserConnection;
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};

/** The sign-in methods this server has enabled. */
export type SignInMethods = {
  __typename?: 'SignInMethods';
  /** Whether `requestEmailCode` works (in production, only with SMTP_URL configured). */
  emailCode: Scalars['Boolean']['output'];
  /** Whether `signInWithFacebook` works (FACEBOOK_APP_ID and FACEBOOK_APP_SECRET are configured). */
  facebook: Scalars['Boolean']['output'];
  /**
   * The names of the configured OpenID Connect providers (AUTH_OIDC_PROVIDERS), to pass to `signInWithOidc`;
   * empty when there are none.
   */
  oidcProviders: Array<Scalars['String']['output']>;
};

/**
 * The changes of `updateProfile`: a field left out or null stays as it is, except `avatarImageId`, where null
 * removes the picture.
 */
export type UpdateProfileInput = {
  /**
   * An image you uploaded with uploadImage(purpose: AVATAR); null removes the picture. The one it replaces is
   * released. Anyone else's image, or one uploaded for another purpose, is NOT_FOUND.
   */
  avatarImageId?: InputMaybe<Scalars['ID']['input']>;
  /** The new first name: trimmed, 1 to 64 characters (MAX_NAME_LENGTH), no control characters. */
  firstName?: InputMaybe<Scalars['String']['input']>;
  /** The new last name: trimmed, 1 to 64 characters (MAX_NAME_LENGTH), no control characters. */
  lastName?: InputMaybe<Scalars['String']['input']>;
};

/** A person with an account. Every signed-in person may read every profile, except `email`. */
export type User = {
  __typename?: 'User';
  /** The profile picture, seen by every signed-in person; null when there is none. */
  avatar?: Maybe<Image>;
  /** When the account was created (its first sign-in). */
  createdAt: Scalars['DateTime']['output'];
  /** First and last name, or "New user" until a name is set. */
  displayName: Scalars['String']['output'];
  /**
   * The account's verified email address, lower-cased. Only visible to the user themselves: null for everyone
   * else, and for an account without a verified address (Facebook only, say).
   */
  email?: Maybe<Scalars['String']['output']>;
  /**
   * At most 64 characters (MAX_NAME_LENGTH); empty until set by `updateProfile` or taken from the sign-in
   * provider.
   */
  firstName: Scalars['String']['output'];
  /** The account's id (a UUID). */
  id: Scalars['ID']['output'];
  /**
   * At most 64 characters (MAX_NAME_LENGTH); empty until set by `updateProfile` or taken from the sign-in
   * provider.
   */
  lastName: Scalars['String']['output'];
};

/** A page of the directory (`users`), sorted by name. */
export type UserConnection = {
  __typename?: 'UserConnection';
  /** The people of this page, in order. */
  edges: Array<UserEdge>;
  /** Where this page sits: pass `endCursor` as `after` for the next page. */
  pageInfo: PageInfo;
};

/** One person of a directory page. */
export type UserEdge = {
  __typename?: 'UserEdge';
  /** Pass as `after` to go on after this person. */
  cursor: Scalars['String']['output'];
  /** The person. */
  node: User;
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
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AuthPayload: ResolverTypeWrapper<Omit<AuthPayload, 'user'> & { user: ResolversTypes['User'] }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  EmailCodeRequest: ResolverTypeWrapper<EmailCodeRequest>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Image: ResolverTypeWrapper<Image>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NotificationSettings: ResolverTypeWrapper<NotificationSettings>;
  NotificationSettingsInput: NotificationSettingsInput;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PushSubscription: ResolverTypeWrapper<PushSubscription>;
  PushSubscriptionInput: PushSubscriptionInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SignInMethods: ResolverTypeWrapper<SignInMethods>;
  UpdateProfileInput: UpdateProfileInput;
  User: ResolverTypeWrapper<UserRow>;
  UserConnection: ResolverTypeWrapper<Omit<UserConnection, 'edges'> & { edges: Array<ResolversTypes['UserEdge']> }>;
  UserEdge: ResolverTypeWrapper<Omit<UserEdge, 'node'> & { node: ResolversTypes['User'] }>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AuthPayload: Omit<AuthPayload, 'user'> & { user: ResolversParentTypes['User'] };
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
  DateTime: Scalars['DateTime']['output'];
  EmailCodeRequest: EmailCodeRequest;
  Int: Scalars['Int']['output'];
  Image: Image;
  ID: Scalars['ID']['output'];
  Mutation: Record<PropertyKey, never>;
  NotificationSettings: NotificationSettings;
  NotificationSettingsInput: NotificationSettingsInput;
  PageInfo: PageInfo;
  PushSubscription: PushSubscription;
  PushSubscriptionInput: PushSubscriptionInput;
  Query: Record<PropertyKey, never>;
  SignInMethods: SignInMethods;
  UpdateProfileInput: UpdateProfileInput;
  User: UserRow;
  UserConnection: Omit<UserConnection, 'edges'> & { edges: Array<ResolversParentTypes['UserEdge']> };
  UserEdge: Omit<UserEdge, 'node'> & { node: ResolversParentTypes['User'] };
}>;

export type AuthPayloadResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = ResolversObject<{
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  accessTokenExpiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  isNewUser?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  refreshTokenExpiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EmailCodeRequestResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['EmailCodeRequest'] = ResolversParentTypes['EmailCodeRequest']> = ResolversObject<{
  codeLength?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type ImageResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['Image'] = ResolversParentTypes['Image']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  deleteAccount?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  refreshSession?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationRefreshSessionArgs, 'refreshToken'>>;
  registerPushSubscription?: Resolver<ResolversTypes['PushSubscription'], ParentType, ContextType, RequireFields<MutationRegisterPushSubscriptionArgs, 'input'>>;
  requestEmailCode?: Resolver<ResolversTypes['EmailCodeRequest'], ParentType, ContextType, RequireFields<MutationRequestEmailCodeArgs, 'email'>>;
  signInWithEmailCode?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignInWithEmailCodeArgs, 'code' | 'email'>>;
  signInWithFacebook?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignInWithFacebookArgs, 'accessToken'>>;
  signInWithOidc?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignInWithOidcArgs, 'idToken' | 'provider'>>;
  signOut?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  unregisterPushSubscription?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationUnregisterPushSubscriptionArgs, 'endpoint'>>;
  updateNotificationSettings?: Resolver<ResolversTypes['NotificationSettings'], ParentType, ContextType, RequireFields<MutationUpdateNotificationSettingsArgs, 'input'>>;
  updateProfile?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUpdateProfileArgs, 'input'>>;
}>;

export type NotificationSettingsResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['NotificationSettings'] = ResolversParentTypes['NotificationSettings']> = ResolversObject<{
  emailDigest?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  pushSubscriptions?: Resolver<Array<ResolversTypes['PushSubscription']>, ParentType, ContextType>;
  showPreviews?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  vapidPublicKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PushSubscriptionResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['PushSubscription'] = ResolversParentTypes['PushSubscription']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  endpoint?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  me?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  notificationSettings?: Resolver<ResolversTypes['NotificationSettings'], ParentType, ContextType>;
  signInMethods?: Resolver<ResolversTypes['SignInMethods'], ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>;
  users?: Resolver<ResolversTypes['UserConnection'], ParentType, ContextType, RequireFields<QueryUsersArgs, 'first'>>;
}>;

export type SignInMethodsResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['SignInMethods'] = ResolversParentTypes['SignInMethods']> = ResolversObject<{
  emailCode?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  facebook?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  oidcProviders?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  avatar?: Resolver<Maybe<ResolversTypes['Image']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type UserConnectionResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['UserConnection'] = ResolversParentTypes['UserConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['UserEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type UserEdgeResolvers<ContextType = UserContext, ParentType extends ResolversParentTypes['UserEdge'] = ResolversParentTypes['UserEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = UserContext> = ResolversObject<{
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  EmailCodeRequest?: EmailCodeRequestResolvers<ContextType>;
  Image?: ImageResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NotificationSettings?: NotificationSettingsResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PushSubscription?: PushSubscriptionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SignInMethods?: SignInMethodsResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserConnection?: UserConnectionResolvers<ContextType>;
  UserEdge?: UserEdgeResolvers<ContextType>;
}>;

