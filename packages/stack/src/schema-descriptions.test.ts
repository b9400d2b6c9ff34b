import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  parse,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaPath, SUBGRAPHS, subgraphSdlPath } from './subgraphs.ts';

const described = (element: { description?: string | null | undefined }) => Boolean(element.description?.trim());

/**
 * The coordinates (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `@directive(arg:)`) of every
 * element of the schema without a description. Built-in scalars, introspection types and the directives
 * GraphQL itself specifies are not the API's own, so they are left out.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const checkArgs = (owner: string, args: readonly GraphQLArgument[]) => {
    for (const arg of args) if (!described(arg)) missing.push(`${owner}(${arg.name}:)`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!described(type)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (!described(field)) missing.push(coordinate);
        checkArgs(coordinate, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field)) missing.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!described(value)) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  for (const directive of schema.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    if (!described(directive)) missing.push(`@${directive.name}`);
    checkArgs(`@${directive.name}`, directive.args);
  }
  return missing;
}

describe('schema descriptions', () => {
  it('every type, field, argument, input field and enum value of the public API is described (explorer docs)', () => {
    const missing = undescribed(buildSchema(readFileSync(apiSchemaPath, 'utf8')));
    expect(
      missing,
      `${missing.length} element(s) of schema/api.graphql have no description (describe them in the owning ` +
        `subgraph's src/schema.graphql, then npm run compose): ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('subgraphs that define the same element (root types, DateTime, PageInfo) describe it alike', () => {
    // Composition keeps one description and only hints at the others: describe an entity in the subgraph
    // that owns it, and a shared element word for word the same everywhere.
    const result = composeServices(
      SUBGRAPHS.map(({ name }) => ({
        name,
        url: `http://${name}`,
        typeDefs: parse(readFileSync(subgraphSdlPath(name), 'utf8')),
      })),
    );
    expect(result.errors).toBeUndefined();
    const inconsistent = (result.hints ?? [])
      .filter((hint) => hint.definition.code === 'INCONSISTENT_DESCRIPTION')
      .map((hint) => hint.message);
    expect(inconsistent).toEqual([]);
  });

  it('names each undescribed element by its schema coordinate', () => {
    const schema = buildSchema(`
      "The root."
      type Query {
        "Described."
        a(x: Int, "Described." y: Int): Kind
        b(z: Input): String
      }
      input Input { c: Int "Described." d: Int }
      enum Kind { ONE "Described." TWO }
      scalar When
      directive @tag(name: String) on FIELD_DEFINITION
    `);
    expect(undescribed(schema)).toEqual([
      'Query.a(x:)',
      'Query.b',
      'Query.b(z:)',
      'Input',
      'Input.c',
      'Kind',
      'Kind.ONE',
      'When',
      '@tag',
      '@tag(name:)',
    ]);
  });
});
