import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed resolvers for every subgraph (from its own SDL, federation-aware) and the typed client SDK
 * (from the composed API schema and the operations in schema/operations). Run with `npm run codegen`.
 */
const subgraphs: Record<string, { mappers?: Record<string, string> }> = {
  user: {
    mappers: { User: '../data/user-repository.ts#UserRow' },
  },
  message: {
    mappers: {
      Call: '../data/call-repository.ts#CallRow',
      Chat: '../data/chat-repository.ts#ChatView',
      Message: '../data/message-repository.ts#MessageRow',
      Presence: '../presence/presence-view.ts#PresenceView',
      Reaction: '../data/reaction-repository.ts#ReactionSummary',
      User: '../ids.ts#UserReference',
    },
  },
  media: {
    mappers: {
      Image: '../data/image-repository.ts#ImageRow',
      FileAttachment: '../data/file-repository.ts#FileRow',
      DataExport: '../data/export-repository.ts#DataExportRow',
    },
  },
  preview: {
    mappers: { LinkPreview: '../data/link-preview-view.ts#LinkPreviewView' },
  },
};

const resolverPlugins = ['typescript', 'typescript-resolvers'];

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...Object.fromEntries(
      Object.entries(subgraphs).map(([name, options]) => [
        `subgraphs/${name}/src/generated/resolvers.ts`,
        {
          schema: `subgraphs/${name}/src/schema.graphql`,
          plugins: resolverPlugins,
          config: {
            federation: true,
            useIndexSignature: true,
            contextType: `../context.ts#${name[0]!.toUpperCase()}${name.slice(1)}Context`,
            mappers: options.mappers ?? {},
            scalars: { DateTime: 'Date | string', Upload: "Promise<import('@letstalk/server').FileUpload>" },
            enumsAsTypes: true,
            useTypeImports: true,
            emitLegacyCommonJSImports: false,
          },
        },
      ]),
    ),
    'packages/sdk/src/generated/': {
      schema: 'schema/api.graphql',
      documents: ['schema/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', Upload: 'File | Blob' },
        enumsAsTypes: true,
        useTypeImports: true,
        documentMode: 'documentNode',
        emitLegacyCommonJSImports: false,
      },
    },
  },
};

export default config;
