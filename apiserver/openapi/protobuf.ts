/**
 * Encodes the `/openapi/v2` document as gnostic's `openapi.v2.Document` protobuf
 * (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`), which client-go's discovery
 * client requests and kubectl's validation parses with kube-openapi. Vendor extensions,
 * defaults, examples and enum values travel as YAML text in `Any.yaml`, as gnostic does; JSON
 * text is valid YAML, so values are written with `JSON.stringify`.
 *
 * `decodeOpenApiV2` turns bytes back into the message object (for tests and diagnostics).
 */
import protobuf from 'protobufjs';
import { openapiV2Proto } from './openapiv2proto.js';

type Json = Record<string, unknown>;
type Msg = Record<string, unknown>;

let documentType: protobuf.Type | undefined;

function docType(): protobuf.Type {
  documentType ??= protobuf
    .parse(openapiV2Proto, { keepCase: true })
    .root.lookupType('openapi.v2.Document');
  return documentType;
}

/** The protobuf bytes of a Swagger 2.0 document (as built by `buildV2`). */
export function encodeOpenApiV2(doc: Json): Uint8Array {
  const type = docType();
  return type.encode(type.fromObject(documentMessage(doc))).finish();
}

/** Decodes protobuf bytes into the `openapi.v2.Document` message as a plain object. */
export function decodeOpenApiV2(bytes: Uint8Array): Msg {
  const type = docType();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false, arrays: true }) as Msg;
}

function documentMessage(doc: Json): Msg {
  const paths = (doc.paths ?? {}) as Record<string, Json>;
  const definitions = (doc.definitions ?? {}) as Record<string, Json>;
  const securityDefs = (doc.securityDefinitions ?? {}) as Record<string, Json>;
  const info = (doc.info ?? {}) as Json;
  return {
    swagger: doc.swagger,
    info: { title: info.title, version: info.version },
    paths: { path: Object.entries(paths).map(([name, item]) => ({ name, value: pathItem(item) })) },
    definitions: {
      additional_properties: Object.entries(definitions).map(([name, s]) => ({
        name,
        value: schema(s),
      })),
    },
    security: ((doc.security ?? []) as Record<string, string[]>[]).map((req) => ({
      additional_properties: Object.entries(req).map(([name, value]) => ({
        name,
        value: { value },
      })),
    })),
    security_definitions: {
      additional_properties: Object.entries(securityDefs).map(([name, def]) => ({
        name,
        value: {
          api_key_security: {
            type: def.type,
            name: def.name,
            in: def.in,
            description: def.description,
          },
        },
      })),
    },
  };
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function pathItem(item: Json): Msg {
  const out: Msg = {};
  for (const m of methods) if (item[m]) out[m] = operation(item[m] as Json);
  if (item.parameters) out.parameters = (item.parameters as Json[]).map(parameter);
  return out;
}

function operation(op: Json): Msg {
  const responses = (op.responses ?? {}) as Record<string, Json>;
  return {
    tags: op.tags,
    description: op.description,
    operation_id: op.operationId,
    produces: op.produces,
    consumes: op.consumes,
    parameters: ((op.parameters ?? []) as Json[]).map(parameter),
    responses: {
      response_code: Object.entries(responses).map(([name, r]) => ({
        name,
        value: {
          response: {
            description: r.description,
            ...(r.schema ? { schema: { schema: schema(r.schema as Json) } } : {}),
          },
        },
      })),
    },
    schemes: op.schemes,
    vendor_extension: extensions(op),
  };
}

function parameter(p: Json): Msg {
  if (p.in === 'body') {
    return {
      parameter: {
        body_parameter: {
          description: p.description,
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: schema(p.schema as Json),
        },
      },
    };
  }
  const sub = {
    required: p.required === true,
    in: p.in,
    description: p.description,
    name: p.name,
    type: p.type,
    format: p.format,
    unique_items: p.uniqueItems === true,
  };
  const key = p.in === 'path' ? 'path_parameter_sub_schema' : 'query_parameter_sub_schema';
  return { parameter: { non_body_parameter: { [key]: sub } } };
}

const stringFields: Record<string, string> = {
  $ref: '_ref',
  format: 'format',
  title: 'title',
  description: 'description',
  pattern: 'pattern',
  discriminator: 'discriminator',
};
const numberFields: Record<string, string> = {
  multipleOf: 'multiple_of',
  maximum: 'maximum',
  minimum: 'minimum',
  maxLength: 'max_length',
  minLength: 'min_length',
  maxItems: 'max_items',
  minItems: 'min_items',
  maxProperties: 'max_properties',
  minProperties: 'min_properties',
};
const boolFields: Record<string, string> = {
  exclusiveMaximum: 'exclusive_maximum',
  exclusiveMinimum: 'exclusive_minimum',
  uniqueItems: 'unique_items',
  readOnly: 'read_only',
};

function schema(s: Json): Msg {
  const out: Msg = {};
  for (const [key, value] of Object.entries(s)) {
    if (key in stringFields) out[stringFields[key]] = value;
    else if (key in numberFields) out[numberFields[key]] = value;
    else if (key in boolFields) out[boolFields[key]] = value;
    else if (key === 'type') out.type = { value: [value] };
    else if (key === 'required') out.required = value;
    else if (key === 'default' || key === 'example') out[key] = anyOf(value);
    else if (key === 'enum') out.enum = (value as unknown[]).map(anyOf);
    else if (key === 'items') out.items = { schema: [schema(value as Json)] };
    else if (key === 'allOf') out.all_of = (value as Json[]).map(schema);
    else if (key === 'additionalProperties') {
      out.additional_properties =
        typeof value === 'boolean' ? { boolean: value } : { schema: schema(value as Json) };
    } else if (key === 'properties') {
      out.properties = {
        additional_properties: Object.entries(value as Record<string, Json>).map(
          ([name, child]) => ({
            name,
            value: schema(child),
          }),
        ),
      };
    }
  }
  const ext = extensions(s);
  if (ext.length > 0) out.vendor_extension = ext;
  return out;
}

function extensions(obj: Json): Msg[] {
  return Object.entries(obj)
    .filter(([key]) => key.startsWith('x-'))
    .map(([name, value]) => ({ name, value: anyOf(value) }));
}

function anyOf(value: unknown): Msg {
  return { yaml: `${JSON.stringify(value)}\n` };
}
