import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { MAX_NESTED_PAGE_SIZE, MAX_QUERY_COST, operationCost } from './operation-cost.ts';

/** Operation limits, the same for HTTP and graphql-ws, for queries, mutations and subscriptions alike. */
export const MAX_QUERY_DEPTH = 12;
export const MAX_ALIASES = 15;
export const MAX_QUERY_TOKENS = 2000;
const MAX_DIRECTIVES = 50;

/** What stands in for a suggestion ("Did you mean …?") where they are off. */
const SUGGESTION_MASK = '[Suggestion hidden]';

/**
 * The gateway's limits on client operations, applied in one place whichever way an operation arrives:
 * Apollo Server's validation and a plugin for HTTP (and graphql-ws queries, which run through it), and
 * {@link OperationLimits.prepare} for graphql-ws subscriptions, which the gateway executes itself.
 * The gateway's own re-queries (named `internalOperationName`) are exempt: the subscriber's operation
 * passed these limits, and a replay page is sized to stay within the cost limit.
 */
export class OperationLimits {
  readonly validationRules: ValidationRule[];
  private readonly armorRules: ValidationRule[];
  private readonly armorPlugins: ApolloServerPlugin[];

  constructor(private readonly options: { suggestions: boolean; internalOperationName: string }) {
    const armor = new ApolloArmor({
      // Depth of fields, not of fragments: the SDK's fragments (a chat's last message's link preview's image)
      // must not count twice.
      maxDepth: { n: MAX_QUERY_DEPTH, flattenFragments: true },
      maxAliases: { n: MAX_ALIASES },
      // Armor's cost rule counts `first: $n` as 1: the cost is checked with the variables' values instead
      // (operationCost), where they are known.
      costLimit: { enabled: false },
      // Armor's token counter throws from a plugin hook, which Apollo answers with a 500; graphql-js's own
      // parser limit (parseOptions) fails the same documents with a proper 400.
      maxTokens: { enabled: false },
      maxDirectives: { n: MAX_DIRECTIVES },
      blockFieldSuggestion: { enabled: !options.suggestions, mask: SUGGESTION_MASK },
    });
    const protection = armor.protect();
    this.armorRules = protection.validationRules;
    // Armor's typings point at Apollo Server's CommonJS build; the plugins are the same objects.
    this.armorPlugins = protection.plugins as unknown as ApolloServerPlugin[];
    this.validationRules = this.armorRules.map(
      (rule) => (context: ValidationContext) => (this.isInternal(context.getDocument()) ? {} : rule(context)),
    );
  }

  /** Parse options for Apollo Server and for graphql-ws documents. */
  readonly parseOptions = { maxTokens: MAX_QUERY_TOKENS };

  /** Apollo Server plugins: armor's, and the cost check with the request's variables. */
  plugins<Context extends object>(): ApolloServerPlugin<Context>[] {
    return [
      ...(this.armorPlugins as unknown as ApolloServerPlugin<Context>[]),
      {
        requestDidStart: async () => {
          return {
            didResolveOperation: async (request: GraphQLRequestContextDidResolveOperation<Context>) => {
              const { document, operation, schema } = request;
              if (!operation || this.isInternal(document)) return;
              const coerced = getVariableValues(
                schema,
                operation.variableDefinitions ?? [],
                request.request.variables ?? {},
              );
              // Variables that do not coerce fail execution with their own error.
              if (coerced.errors) return;
              const error = this.costError(schema, document, operation, coerced.coerced);
              if (error) throw error;
            },
          };
        },
      },
    ];
  }

  /**
   * Everything Apollo Server checks before running an operation, for a graphql-ws message: the token
   * limit, validation with every limit, variables coerced, the cost with their values. Returns the
   * document, operation and coerced variables, or the errors to answer with (suggestions hidden when off).
   */
  prepare(
    schema: GraphQLSchema,
    request: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ):
    | { document: DocumentNode; operation: OperationDefinitionNode; variables: Record<string, unknown> }
    | GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(request.query, this.parseOptions);
    } catch (error) {
      const syntax = error instanceof GraphQLError ? error : new GraphQLError(String(error));
      return [withCode(syntax, 'GRAPHQL_PARSE_FAILED')];
    }
    let invalid: readonly GraphQLError[];
    try {
      invalid = validate(schema, document, [...specifiedRules, ...this.armorRules]);
    } catch (error) {
      // graphql-js 16's SingleFieldSubscriptionsRule throws, instead of reporting, on an `@include`/`@skip` of a
      // subscription's root field without a usable `if`; uncaught, graphql-ws closes the socket with 4500.
      const thrown = error instanceof GraphQLError ? error : new GraphQLError(String(error));
      return [withCode(thrown, 'GRAPHQL_VALIDATION_FAILED')];
    }
    if (invalid.length)
      return invalid.map((error) => withCode(this.hideSuggestions(error), 'GRAPHQL_VALIDATION_FAILED'));
    const operation = getOperationAST(document, request.operationName);
    if (!operation) return [withCode(new GraphQLError('Name the operation to run.'), 'OPERATION_RESOLUTION_FAILURE')];
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
    if (coerced.errors) return coerced.errors.map((error) => withCode(this.hideSuggestions(error), 'BAD_USER_INPUT'));
    const tooCostly = this.costError(schema, document, operation, coerced.coerced);
    if (tooCostly) return [tooCostly];
    return { document, operation, variables: coerced.coerced };
  }

  private costError(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ) {
    const { cost, nestedPage } = operationCost(schema, document, operation, variables);
    if (nestedPage) {
      return new GraphQLError(
        `${nestedPage.field} inside a list pages at most ${MAX_NESTED_PAGE_SIZE} items, not ${nestedPage.size}.`,
        {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
        },
      );
    }
    if (cost <= MAX_QUERY_COST) return undefined;
    return new GraphQLError(
      `This operation may cost ${cost}, over the limit of ${MAX_QUERY_COST}: ask for smaller pages or fewer nested lists.`,
      {
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost, maxCost: MAX_QUERY_COST, http: { status: 400 } },
      },
    );
  }

  private hideSuggestions(error: GraphQLError): GraphQLError {
    if (this.options.suggestions || !/Did you mean/.test(error.message)) return error;
    return new GraphQLError(error.message.replace(/Did you mean .+\?/g, SUGGESTION_MASK).trim(), {
      nodes: error.nodes,
      extensions: error.extensions,
    });
  }

  /** True for the queries the gateway builds itself (see LiveOptions.operationName). */
  isInternal(document: DocumentNode): boolean {
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    return (
      operations.length > 0 &&
      operations.every((operation) => operation.name?.value === this.options.internalOperationName)
    );
  }
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}
