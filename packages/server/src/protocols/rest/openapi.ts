import { z } from 'zod';
import type { CataloguedRoute } from './catalogue.js';
import { PROBLEM_CONTENT_TYPE, problemJson } from './problem.js';
import type { RouteDoc } from './route.js';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers: readonly { readonly url: string }[];
  readonly tags: readonly { readonly name: string }[];
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: { readonly schemas: Record<string, JsonSchema> };
}

const COMPONENTS = '#/components/schemas/';

/** Named schemas (`.meta({ id })`) move to components; their $refs follow them. */
class SchemaCollector {
  readonly schemas: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema;
    const { $defs, ...rest } = json;
    delete rest.$schema;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      this.schemas[name] = relink(def) as JsonSchema;
    }
    return relink(rest) as JsonSchema;
  }
}

/** Rewrites `#/$defs/X` references to `#/components/schemas/X`. */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', COMPONENTS) : relink(v);
  }
  return out;
}

/** `/keys/:key` → `/keys/{key}` (OpenAPI path templating). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(
  collector: SchemaCollector,
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
): unknown[] {
  if (schema === undefined) return [];
  const json = collector.convert(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof property.description === 'string' && { description: property.description }),
    schema: property,
  }));
}

function operation(collector: SchemaCollector, doc: RouteDoc): Record<string, unknown> {
  const success =
    doc.response === undefined
      ? { description: 'No content' }
      : {
          description: 'Success',
          content: { 'application/json': { schema: collector.convert(doc.response, 'output') } },
        };
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    tags: [doc.tag],
    ...(doc.deprecated !== undefined && {
      deprecated: true,
      description: `Deprecated; answers until ${doc.deprecated.sunset.toISOString()} (Sunset header).`,
    }),
    parameters: [
      ...parameters(collector, doc.params, 'path'),
      ...parameters(collector, doc.query, 'query'),
    ],
    ...(doc.body !== undefined && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: collector.convert(doc.body, 'input') } },
      },
    }),
    responses: {
      [String(doc.status)]: success,
      default: {
        description: 'Error (RFC 9457 problem details; `code` is the stable error code)',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${COMPONENTS}Problem` } } },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 document of the routes a scope registered, generated from the
 * same zod schemas that validate requests. `base` is the API prefix
 * (`/api/v1`), the document's server URL.
 *
 * @example
 * const doc = openApiDocument(app.restCatalogue.routes(), '/api/v1');
 */
export function openApiDocument(routes: readonly CataloguedRoute[], base: string): OpenApiDocument {
  const collector = new SchemaCollector();
  collector.convert(problemJson, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const { fullPath, doc } of routes) {
    const relative = fullPath.startsWith(base) ? fullPath.slice(base.length) : fullPath;
    const path = openApiPath(relative === '' ? '/' : relative);
    paths[path] = { ...paths[path], [doc.method.toLowerCase()]: operation(collector, doc) };
    tags.add(doc.tag);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Custos native API',
      version: '1',
      description: 'Bytes are standard base64; dates RFC 3339; errors RFC 9457 problem details.',
    },
    servers: [{ url: base }],
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: { schemas: collector.schemas },
  };
}
