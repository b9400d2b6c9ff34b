/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment Profile on User {\n  id\n  displayName\n  firstName\n  lastName\n  email\n  avatar {\n    id\n  }\n  createdAt\n}\n\nfragment Session on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  isNewUser\n  user {\n    ...Profile\n  }\n}\n\nquery Me {\n  me {\n    ...Profile\n  }\n}\n\nquery Users($search: String, $first: Int, $after: String) {\n  users(search: $search, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        displayName\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery SignInMethods {\n  signInMethods {\n    oidcProviders\n    facebook\n    emailCode\n  }\n}\n\nmutation SignInWithOidc($provider: String!, $idToken: String!) {\n  signInWithOidc(provider: $provider, idToken: $idToken) {\n    ...Session\n  }\n}\n\nmutation SignInWithFacebook($accessToken: String!) {\n  signInWithFacebook(accessToken: $accessToken) {\n    ...Session\n  }\n}\n\nmutation RequestEmailCode($email: String!) {\n  requestEmailCode(email: $email) {\n    email\n    codeLength\n    expiresAt\n  }\n}\n\nmutation SignInWithEmailCode($email: String!, $code: String!) {\n  signInWithEmailCode(email: $email, code: $code) {\n    ...Session\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...Session\n  }\n}\n\nmutation SignOut {\n  signOut\n}\n\nmutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    ...Profile\n  }\n}": typeof types.ProfileFragmentDoc,
};
const documents: Documents = {
    "fragment Profile on User {\n  id\n  displayName\n  firstName\n  lastName\n  email\n  avatar {\n    id\n  }\n  createdAt\n}\n\nfragment Session on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  isNewUser\n  user {\n    ...Profile\n  }\n}\n\nquery Me {\n  me {\n    ...Profile\n  }\n}\n\nquery Users($search: String, $first: Int, $after: String) {\n  users(search: $search, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        displayName\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery SignInMethods {\n  signInMethods {\n    oidcProviders\n    facebook\n    emailCode\n  }\n}\n\nmutation SignInWithOidc($provider: String!, $idToken: String!) {\n  signInWithOidc(provider: $provider, idToken: $idToken) {\n    ...Session\n  }\n}\n\nmutation SignInWithFacebook($accessToken: String!) {\n  signInWithFacebook(accessToken: $accessToken) {\n    ...Session\n  }\n}\n\nmutation RequestEmailCode($email: String!) {\n  requestEmailCode(email: $email) {\n    email\n    codeLength\n    expiresAt\n  }\n}\n\nmutation SignInWithEmailCode($email: String!, $code: String!) {\n  signInWithEmailCode(email: $email, code: $code) {\n    ...Session\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...Session\n  }\n}\n\nmutation SignOut {\n  signOut\n}\n\nmutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    ...Profile\n  }\n}": types.ProfileFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment Profile on User {\n  id\n  displayName\n  firstName\n  lastName\n  email\n  avatar {\n    id\n  }\n  createdAt\n}\n\nfragment Session on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  isNewUser\n  user {\n    ...Profile\n  }\n}\n\nquery Me {\n  me {\n    ...Profile\n  }\n}\n\nquery Users($search: String, $first: Int, $after: String) {\n  users(search: $search, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        displayName\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery SignInMethods {\n  signInMethods {\n    oidcProviders\n    facebook\n    emailCode\n  }\n}\n\nmutation SignInWithOidc($provider: String!, $idToken: String!) {\n  signInWithOidc(provider: $provider, idToken: $idToken) {\n    ...Session\n  }\n}\n\nmutation SignInWithFacebook($accessToken: String!) {\n  signInWithFacebook(accessToken: $accessToken) {\n    ...Session\n  }\n}\n\nmutation RequestEmailCode($email: String!) {\n  requestEmailCode(email: $email) {\n    email\n    codeLength\n    expiresAt\n  }\n}\n\nmutation SignInWithEmailCode($email: String!, $code: String!) {\n  signInWithEmailCode(email: $email, code: $code) {\n    ...Session\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...Session\n  }\n}\n\nmutation SignOut {\n  signOut\n}\n\nmutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    ...Profile\n  }\n}"): (typeof documents)["fragment Profile on User {\n  id\n  displayName\n  firstName\n  lastName\n  email\n  avatar {\n    id\n  }\n  createdAt\n}\n\nfragment Session on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  isNewUser\n  user {\n    ...Profile\n  }\n}\n\nquery Me {\n  me {\n    ...Profile\n  }\n}\n\nquery Users($search: String, $first: Int, $after: String) {\n  users(search: $search, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        displayName\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery SignInMethods {\n  signInMethods {\n    oidcProviders\n    facebook\n    emailCode\n  }\n}\n\nmutation SignInWithOidc($provider: String!, $idToken: String!) {\n  signInWithOidc(provider: $provider, idToken: $idToken) {\n    ...Session\n  }\n}\n\nmutation SignInWithFacebook($accessToken: String!) {\n  signInWithFacebook(accessToken: $accessToken) {\n    ...Session\n  }\n}\n\nmutation RequestEmailCode($email: String!) {\n  requestEmailCode(email: $email) {\n    email\n    codeLength\n    expiresAt\n  }\n}\n\nmutation SignInWithEmailCode($email: String!, $code: String!) {\n  signInWithEmailCode(email: $email, code: $code) {\n    ...Session\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...Session\n  }\n}\n\nmutation SignOut {\n  signOut\n}\n\nmutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    ...Profile\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;