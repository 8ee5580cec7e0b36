import { z } from 'zod';
import type { RouteDefinition } from '../contracts/http-routes-contract.js';
import type { RegisteredRoute } from './api-registry.js';

type JsonSchema = Record<string, unknown>;

/** Schema of every error body, shared by all routes. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable code from the error catalogue, TETHER_E_...'),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  const { $schema: _ignored, ...rest } = converted as JsonSchema;
  return rest;
}

function parameters(definition: RouteDefinition): JsonSchema[] {
  const parts = [
    ['path', definition.params],
    ['query', definition.query],
  ] as const;
  return parts.flatMap(([where, schema]) => {
    if (!schema) return [];
    const object = toSchema(schema, 'input');
    const required = new Set((object.required as string[] | undefined) ?? []);
    const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
    return Object.entries(properties).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || required.has(name),
      schema: property,
      ...(property.description ? { description: property.description } : {}),
    }));
  });
}

function responses(definition: RouteDefinition): JsonSchema {
  const documented: JsonSchema = {};
  for (const [status, response] of Object.entries(definition.responses)) {
    const content = response.schema
      ? { 'application/json': { schema: toSchema(response.schema, 'output') } }
      : response.contentType
        ? { [response.contentType]: { schema: { type: 'string' } } }
        : undefined;
    documented[status] = { description: response.description, ...(content ? { content } : {}) };
  }
  documented.default = {
    description: 'An error from the catalogue',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
  return documented;
}

function operation(route: RegisteredRoute): JsonSchema {
  const { definition } = route;
  const body = definition.body
    ? {
        requestBody: {
          required: !definition.body.safeParse(undefined).success,
          content: {
            [definition.bodyType === 'form'
              ? 'application/x-www-form-urlencoded'
              : 'application/json']: { schema: toSchema(definition.body, 'input') },
          },
        },
      }
    : {};
  const isPublic = definition.access === 'public';
  return {
    operationId: definition.operationId,
    summary: definition.summary,
    tags: [...(definition.tags ?? [route.owner])],
    ...(isPublic ? {} : { security: [{ bearer: [] }, { cookie: [] }] }),
    parameters: parameters(definition),
    ...body,
    responses: responses(definition),
  };
}

/** `/items/:id` → `/items/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Builds the OpenAPI 3.1 document of the routes registered now. */
export function openApiDocument(routes: readonly RegisteredRoute[], version: string): JsonSchema {
  const paths: Record<string, JsonSchema> = {};
  for (const route of routes) {
    const item = (paths[openApiPath(route.fullPath)] ??= {});
    item[route.definition.method.toLowerCase()] = operation(route);
  }
  const errorSchema = toSchema(ErrorBody, 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tether API',
      version,
      description: 'Self-hostable remote-support engine. Errors use the shared Error schema.',
    },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Token from POST /api/v1/auth/login',
        },
        cookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tether_session',
          description: 'Browser sign-in; send X-CSRF-Token on every method but GET',
        },
      },
    },
  };
}
