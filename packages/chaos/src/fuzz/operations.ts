import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { toJson, toLiteral } from './literals.ts';
import { anyValue, boundaryInt, idFor, stringFor, type FuzzValue, type Pools } from './values.ts';

export type OperationType = 'query' | 'mutation' | 'subscription';

/** One GraphQL request as a client sends it (over HTTP or in a graphql-ws `subscribe`). */
export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface GeneratedOperation {
  operation: OperationType;
  /** The root field it calls (for the report's figures). */
  field: string;
  request: GraphqlRequest;
}

/** What one argument becomes in the document, and in the variables when passed as one. */
interface ArgumentPart {
  text: string;
  definition?: string;
  variable?: { name: string; value: unknown };
}

/** Types a wrongly declared variable is given. */
const WRONG_VARIABLE_TYPES = ['String', 'String!', 'Int', 'ID', '[ID!]!', 'Boolean!', 'SendMessageInput', 'Upload'];

/**
 * Operations generated from the public API schema with fast-check: every root field, its arguments as
 * literals or variables (right-shaped, wrongly typed, null, missing, badly declared), and selections from
 * one `__typename` to every field down to the depth limit and past it.
 */
export class OperationGenerator {
  private readonly selections = new Map<string, fc.Arbitrary<string>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly pools: Pools,
  ) {}

  /**
   * Any operation on any root field of the three root types. Half are clean (every argument and variable
   * declared as the schema says, a valid selection: only the values are fuzzed, so most reach the resolvers),
   * half noisy (unknown arguments and fields, selections on leaves, wrong variable types, bad directives).
   * `withoutSignOut` for cases sent as one of the pass's people, whose session must last.
   */
  operation(options: { withoutSignOut?: boolean } = {}): fc.Arbitrary<GeneratedOperation> {
    const roots: { type: OperationType; root: GraphQLObjectType | null | undefined; weight: number }[] = [
      { type: 'query', root: this.schema.getQueryType(), weight: 4 },
      { type: 'mutation', root: this.schema.getMutationType(), weight: 5 },
      { type: 'subscription', root: this.schema.getSubscriptionType(), weight: 2 },
    ];
    return fc.oneof(
      ...roots.map(({ type, root, weight }) => ({
        weight,
        arbitrary: fc
          .tuple(
            fc.constantFrom(
              ...Object.values(root!.getFields()).filter(
                (field) => !options.withoutSignOut || field.name !== 'signOut',
              ),
            ),
            fc.boolean(),
          )
          .chain(([field, noisy]) => this.operationOn(type, field as GraphQLField<unknown, unknown>, noisy)),
      })),
    );
  }

  /** An operation on one root field. */
  operationOn(
    type: OperationType,
    field: GraphQLField<unknown, unknown>,
    noisy: boolean,
  ): fc.Arbitrary<GeneratedOperation> {
    const none = fc.constant(null);
    return fc
      .record({
        args: fc.tuple(...field.args.map((argument) => this.argumentPart(argument, noisy))),
        extraArgument: noisy
          ? sometimes(fc.constantFrom('bogus: 1', 'first: 1', `${field.args[0]?.name ?? 'x'}: null`), 4)
          : none,
        selection: this.selectionFor(field.type, 4, noisy),
        alias: sometimes(fc.constantFrom('a', 'x1', '__typename', 'me'), 6),
        operationName: sometimes(fc.constantFrom('Fuzz', 'fuzz_op', 'IntrospectionQuery', 'Query'), 2),
        sentName: noisy ? sometimes(fc.constantFrom('Other', '', '1bad'), 4) : none,
        directive: noisy
          ? sometimes(fc.constantFrom('@skip(if: "yes")', '@fuzz', '@include', '@deprecated'), 3)
          : sometimes(fc.constantFrom('@include(if: true)', '@skip(if: false)'), 10),
        extraVariable: sometimes(anyValue, 10),
      })
      .map(({ args, extraArgument, selection, alias, operationName, sentName, directive, extraVariable }) => {
        const parts: ArgumentPart[] = args.filter((part): part is ArgumentPart => part !== null);
        const texts = parts.map((part) => part.text);
        if (extraArgument !== null) texts.push(extraArgument);
        const definitions = parts.flatMap((part) => (part.definition ? [part.definition] : []));
        const variables: Record<string, unknown> = {};
        for (const part of parts) if (part.variable) variables[part.variable.name] = part.variable.value;
        if (extraVariable !== null) variables.unused = toJson(extraVariable);
        const head = [type, operationName ?? '', definitions.length > 0 ? `(${definitions.join(', ')})` : '']
          .filter(Boolean)
          .join(' ');
        const call = `${alias ? `${alias}: ` : ''}${field.name}${texts.length > 0 ? `(${texts.join(', ')})` : ''}`;
        const query = `${head} { ${call}${directive ? ` ${directive}` : ''}${selection} }`;
        const request: GraphqlRequest = { query };
        if (Object.keys(variables).length > 0) request.variables = variables;
        const name = sentName ?? operationName;
        if (name !== null) request.operationName = name;
        return { operation: type, field: field.name, request };
      });
  }

  /** How one argument is passed: left out, as a literal, or as a variable (declared right, wrong or not at all). */
  private argumentPart(argument: GraphQLArgument, noisy: boolean): fc.Arbitrary<ArgumentPart | null> {
    const required = isNonNullType(argument.type);
    const value = this.inputValue(argument.type, argument.name, 0, noisy);
    const variableName = `v_${argument.name}`;
    const declared = noisy
      ? fc.oneof(
          { arbitrary: fc.constant(String(argument.type)), weight: 4 },
          { arbitrary: fc.constantFrom(...WRONG_VARIABLE_TYPES), weight: 1 },
        )
      : fc.constant(String(argument.type));
    const sent = noisy ? fc.constantFrom('value', 'value', 'missing', 'undeclared') : fc.constant('value');
    return fc.oneof(
      { arbitrary: fc.constant(null), weight: required ? (noisy ? 1 : 0) : 6 },
      { arbitrary: value.map((given) => ({ text: `${argument.name}: ${toLiteral(given)}` })), weight: 8 },
      {
        arbitrary: fc.record({ given: value, declared, sent }).map(({ given, declared, sent }) => ({
          text: `${argument.name}: $${variableName}`,
          ...(sent === 'undeclared' ? {} : { definition: `$${variableName}: ${declared}` }),
          ...(sent === 'missing' ? {} : { variable: { name: variableName, value: toJson(given) } }),
        })),
        weight: 8,
      },
    );
  }

  /** A value for an input type: shaped for it most of the time, else null or a value of another type. */
  inputValue(type: GraphQLInputType, name: string, depth: number, noisy: boolean): fc.Arbitrary<FuzzValue> {
    return fc.oneof(
      { arbitrary: this.shapedValue(type, name, depth, noisy), weight: noisy ? 6 : 14 },
      { arbitrary: anyValue, weight: 2 },
      { arbitrary: fc.constant(null), weight: 1 },
    );
  }

  private shapedValue(type: GraphQLInputType, name: string, depth: number, noisy: boolean): fc.Arbitrary<FuzzValue> {
    if (isNonNullType(type)) return this.shapedValue(type.ofType, name, depth, noisy);
    if (isListType(type)) {
      const item = this.shapedValue(type.ofType, name, depth + 1, noisy);
      return fc.oneof(
        { arbitrary: fc.array(item, { maxLength: 4 }), weight: 6 },
        // Past MAX_GROUP_MEMBERS and MAX_RESUME_CHATS, the same id over and over, and a bare item (coerced to a list).
        {
          arbitrary: fc
            .constantFrom(101, 256, 300, 2000)
            .chain((n) => item.map((one) => Array<FuzzValue>(n).fill(one))),
          weight: 1,
        },
        { arbitrary: item, weight: 1 },
        { arbitrary: fc.array(fc.array(item, { maxLength: 2 }), { maxLength: 2 }), weight: 1 },
      );
    }
    if (isInputObjectType(type)) {
      if (depth > 3) return fc.constant({});
      const fields = Object.values(type.getFields());
      return fc
        .record({
          present: fc.tuple(
            ...fields.map((field) =>
              fc.option(this.inputValue(field.type, field.name, depth + 1, noisy), {
                freq: isNonNullType(field.type) ? 12 : 2,
                nil: undefined,
              }),
            ),
          ),
          unknown: noisy ? fc.option(anyValue, { freq: 2, nil: undefined }) : fc.constant(undefined),
        })
        .map(({ present, unknown }) => {
          const value: Record<string, FuzzValue> = {};
          fields.forEach((field, index) => {
            const given = present[index];
            if (given !== undefined) value[field.name] = given;
          });
          if (unknown !== undefined) value.notAField = unknown;
          return value;
        });
    }
    if (isEnumType(type)) {
      const names = type.getValues().map((value) => value.name);
      return fc.oneof(
        { arbitrary: fc.constantFrom(...names).map(($enum) => ({ $enum })), weight: 6 },
        {
          arbitrary: fc.constantFrom(...names).map((value) => ({ $enum: value.toLowerCase() })),
          weight: noisy ? 1 : 0,
        },
        { arbitrary: fc.constantFrom('NOPE', 'true', 'null').map(($enum) => ({ $enum })), weight: noisy ? 1 : 0 },
      );
    }
    switch (type.name) {
      case 'ID':
        return idFor(name, this.pools);
      case 'Int':
        return boundaryInt;
      case 'Boolean':
        return fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1));
      case 'Upload':
        // Over JSON there is no file: what a client could put there instead.
        return fc.constantFrom(null, 'file', '1', { filename: 'x.png' }, []);
      default:
        return stringFor(name, this.pools);
    }
  }

  /** A selection set for an output type (empty for a leaf), `depth` levels of objects deep at most. */
  selectionFor(type: GraphQLOutputType, depth: number, noisy: boolean): fc.Arbitrary<string> {
    const named = getNamedType(type);
    if (isLeafType(named))
      return noisy ? sometimes(fc.constant(' { id }'), 8).map((text) => text ?? '') : fc.constant('');
    const key = `${named.name}:${depth}:${noisy}`;
    const known = this.selections.get(key);
    if (known) return known;
    // Built when first generated: built at once, nested selections would be built for every path.
    const lazy = fc.constant(null).chain(() => this.objectSelection(named as GraphQLObjectType, depth, noisy));
    this.selections.set(key, lazy);
    return lazy;
  }

  private objectSelection(type: GraphQLObjectType, depth: number, noisy: boolean): fc.Arbitrary<string> {
    if (!isObjectType(type) && !isInterfaceType(type)) return fc.constant(' { __typename }');
    const fields = Object.values(type.getFields()).filter((field) => depth > 0 || isLeafType(getNamedType(field.type)));
    if (fields.length === 0) return fc.constant(' { __typename }');
    const extras = ['__typename', `... on ${type.name} { __typename }`];
    if (noisy) extras.push('... on User { id }', 'notAField', `${fields[0]!.name}(bogus: 1)`);
    return fc
      .subarray(fields, { minLength: 1, maxLength: Math.min(6, fields.length) })
      .chain((chosen) =>
        fc.tuple(
          fc.tuple(
            ...chosen.map((field) =>
              fc
                .tuple(
                  fc.tuple(
                    ...field.args.map((argument) =>
                      fc.option(
                        this.inputValue(argument.type, argument.name, 0, noisy).map(
                          (value) => `${argument.name}: ${toLiteral(value)}`,
                        ),
                        { freq: 2 },
                      ),
                    ),
                  ),
                  this.selectionFor(field.type, depth - 1, noisy),
                )
                .map(([args, selection]) => {
                  const given = args.filter((arg): arg is string => arg !== null);
                  return `${field.name}${given.length > 0 ? `(${given.join(', ')})` : ''}${selection}`;
                }),
            ),
          ),
          sometimes(fc.constantFrom(...extras), noisy ? 3 : 5),
        ),
      )
      .map(([parts, extra]) => ` { ${[...parts, ...(extra ? [extra] : [])].join(' ')} }`);
  }
}

/** `arbitrary` one time in `oneIn`, null otherwise. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: oneIn - 1 }, { arbitrary, weight: 1 });
