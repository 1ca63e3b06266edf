/**
 * OpenAPI v3 schema checks of a CustomResourceDefinition version: the API-level rules of
 * apiextensions-apiserver's validation.go (`$ref`, additionalProperties with properties,
 * uniqueItems, type values, x-kubernetes-* markers) and the structural-schema invariants of
 * pkg/apiserver/schema/validation.go (`ValidateStructural`). Messages are upstream's; like
 * upstream, structural errors come back sorted by their message.
 *
 * Not covered: CEL (`x-kubernetes-validations`), defaults validated against the schema, and the
 * completeness check (every field under a value validation also specified outside it).
 */
import { fieldErrorMessage, type FieldError } from '../../../common/index.js';
import { forbidden, invalid, notSupported, required } from '../validation/field.js';

/** A JSONSchemaProps object as JSON. */
export type JSONSchemaProps = Record<string, unknown>;

const schemaTypes = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const listTypes = ['atomic', 'map', 'set'];

type Level = 'root' | 'item' | 'field';

function props(s: JSONSchemaProps): Record<string, JSONSchemaProps> {
  const p = s.properties;
  return p && typeof p === 'object' ? (p as Record<string, JSONSchemaProps>) : {};
}

function isSchema(v: unknown): v is JSONSchemaProps {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** API-level validation of a schema (`ValidateCustomResourceDefinitionOpenAPISchema`). */
export function validateOpenAPISchema(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (s.$ref !== undefined) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (s.uniqueItems === true)
    errs.push(
      forbidden(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  if (s.type !== undefined && !schemaTypes.includes(s.type as string))
    errs.push(notSupported(`${path}.type`, s.type, schemaTypes));
  if (s.additionalProperties !== undefined && s.properties !== undefined) {
    errs.push(
      forbidden(
        `${path}.additionalProperties`,
        'additionalProperties and properties are mutual exclusive',
      ),
    );
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(
      invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'),
    );
  }
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (!listTypes.includes(listType as string))
      errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, listTypes));
    if (s.type !== 'array')
      errs.push(
        invalid(
          `${path}.type`,
          s.type ?? '',
          'must be array if x-kubernetes-list-type is specified',
        ),
      );
    const keys = s['x-kubernetes-list-map-keys'];
    if (listType === 'map' && (!Array.isArray(keys) || keys.length === 0)) {
      errs.push(
        required(
          `${path}.x-kubernetes-list-map-keys`,
          'must not be empty if x-kubernetes-list-type is map',
        ),
      );
    }
  }
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern as string, 'u');
    } catch (e) {
      errs.push(
        invalid(
          `${path}.pattern`,
          s.pattern,
          `must be a valid regular expression, but isn't: ${(e as Error).message}`,
        ),
      );
    }
  }
  for (const [k, v] of Object.entries(props(s)))
    if (isSchema(v)) errs.push(...validateOpenAPISchema(v, `${path}.properties[${k}]`));
  if (isSchema(s.items)) errs.push(...validateOpenAPISchema(s.items, `${path}.items`));
  if (isSchema(s.additionalProperties))
    errs.push(...validateOpenAPISchema(s.additionalProperties, `${path}.additionalProperties`));
  for (const junctor of ['allOf', 'anyOf', 'oneOf']) {
    ((s[junctor] as JSONSchemaProps[] | undefined) ?? []).forEach((sub, i) => {
      if (isSchema(sub)) errs.push(...validateOpenAPISchema(sub, `${path}.${junctor}[${i}]`));
    });
  }
  if (isSchema(s.not)) errs.push(...validateOpenAPISchema(s.not, `${path}.not`));
  return errs;
}

/** `ValidateStructural`: the structural invariants, sorted by message as upstream sorts them. */
export function validateStructuralSchema(s: JSONSchemaProps, path: string): FieldError[] {
  const errs = structuralInvariants(s, 'root', path);
  return errs.sort((a, b) =>
    fieldErrorMessage(a) < fieldErrorMessage(b)
      ? -1
      : fieldErrorMessage(a) > fieldErrorMessage(b)
        ? 1
        : 0,
  );
}

function isIntOrStringAnyOf(list: unknown): boolean {
  return (
    Array.isArray(list) &&
    list.length === 2 &&
    isSchema(list[0]) &&
    isSchema(list[1]) &&
    Object.keys(list[0]).join() === 'type' &&
    Object.keys(list[1]).join() === 'type' &&
    list[0].type === 'integer' &&
    list[1].type === 'string'
  );
}

function structuralInvariants(s: JSONSchemaProps, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type === 'array' && !isSchema(s.items))
    errs.push(required(`${path}.items`, 'must be specified'));
  if (isSchema(s.items)) errs.push(...structuralInvariants(s.items, 'item', `${path}.items`));
  for (const [k, v] of Object.entries(props(s)))
    if (isSchema(v)) errs.push(...structuralInvariants(v, 'field', `${path}.properties[${k}]`));
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    if (lvl === 'root')
      errs.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (isSchema(s.additionalProperties))
      errs.push(
        ...structuralInvariants(s.additionalProperties, 'field', `${path}.additionalProperties`),
      );
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve)
    errs.push(
      invalid(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  if (intOrString && embedded)
    errs.push(
      invalid(
        `${path}.x-kubernetes-embedded-resource`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const allOf = (s.allOf as JSONSchemaProps[] | undefined) ?? [];
  const skipFirstAllOfAnyOf = allOf.length >= 1 && isIntOrStringAnyOf(allOf[0]?.anyOf);
  errs.push(...valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, path));
  const type = (s.type as string) ?? '';
  if (embedded && type !== 'object') {
    errs.push(
      type
        ? invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true')
        : required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'),
    );
  } else if (!type && !intOrString && !preserve) {
    const detail =
      lvl === 'root'
        ? 'must not be empty at the root'
        : lvl === 'item'
          ? 'must not be empty for specified array items'
          : 'must not be empty for specified object fields';
    errs.push(required(`${path}.type`, detail));
  }
  if (embedded && s.additionalProperties !== undefined)
    errs.push(
      forbidden(
        `${path}.additionalProperties`,
        'must not be used if x-kubernetes-embedded-resource is set',
      ),
    );
  if (lvl === 'root' && type && type !== 'object')
    errs.push(invalid(`${path}.type`, type, 'must be object at the root'));
  const checkMetadata = lvl === 'root' || embedded;
  const p = props(s);
  if (checkMetadata && p.kind && p.kind.type !== 'string')
    errs.push(invalid(`${path}.properties[kind].type`, p.kind.type ?? '', 'must be string'));
  if (checkMetadata && p.apiVersion && p.apiVersion.type !== 'string')
    errs.push(
      invalid(`${path}.properties[apiVersion].type`, p.apiVersion.type ?? '', 'must be string'),
    );
  if (checkMetadata && p.metadata && p.metadata.type !== 'object')
    errs.push(
      invalid(`${path}.properties[metadata].type`, p.metadata.type ?? '', 'must be object'),
    );
  if (lvl === 'root' && p.metadata) {
    const m = { ...p.metadata };
    const mp = props(m);
    const keys = Object.keys(mp);
    if (keys.every((k) => k === 'name' || k === 'generateName')) delete m.properties;
    delete m.type;
    delete m.default;
    delete m.description;
    if (Object.keys(m).length > 0) {
      errs.push(
        forbidden(
          `${path}.properties[metadata]`,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
    }
  }
  if (embedded && !preserve && Object.keys(p).length === 0) {
    errs.push(
      required(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
  return errs;
}

function valueValidation(
  s: JSONSchemaProps,
  skipAnyOf: boolean,
  skipFirstAllOfAnyOf: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf)
    ((s.anyOf as JSONSchemaProps[] | undefined) ?? []).forEach((v, i) =>
      errs.push(...nested(v, false, `${path}.anyOf[${i}]`)),
    );
  ((s.allOf as JSONSchemaProps[] | undefined) ?? []).forEach((v, i) =>
    errs.push(...nested(v, skipFirstAllOfAnyOf && i === 0, `${path}.allOf[${i}]`)),
  );
  ((s.oneOf as JSONSchemaProps[] | undefined) ?? []).forEach((v, i) =>
    errs.push(...nested(v, false, `${path}.oneOf[${i}]`)),
  );
  if (isSchema(s.not)) errs.push(...nested(s.not, false, `${path}.not`));
  return errs;
}

/** `validateNestedValueValidation`: under a junctor, only value validations are allowed. */
function nested(v: JSONSchemaProps, skipAnyOf: boolean, path: string): FieldError[] {
  if (!isSchema(v)) return [];
  const errs = valueValidation(v, skipAnyOf, false, path);
  if (isSchema(v.items)) errs.push(...nested(v.items, false, `${path}.items`));
  for (const [k, f] of Object.entries(props(v)))
    errs.push(...nested(f, false, `${path}.properties[${k}]`));
  if (v.type) errs.push(forbidden(`${path}.type`, 'must be empty to be structural'));
  if (v.additionalProperties !== undefined)
    errs.push(forbidden(`${path}.additionalProperties`, 'must be undefined to be structural'));
  if (v.default !== undefined)
    errs.push(forbidden(`${path}.default`, 'must be undefined to be structural'));
  if (v.title) errs.push(forbidden(`${path}.title`, 'must be empty to be structural'));
  if (v.description) errs.push(forbidden(`${path}.description`, 'must be empty to be structural'));
  if (v.nullable === true)
    errs.push(forbidden(`${path}.nullable`, 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields'] === true)
    errs.push(
      forbidden(`${path}.x-kubernetes-preserve-unknown-fields`, 'must be false to be structural'),
    );
  if (v['x-kubernetes-embedded-resource'] === true)
    errs.push(
      forbidden(`${path}.x-kubernetes-embedded-resource`, 'must be false to be structural'),
    );
  if (v['x-kubernetes-int-or-string'] === true)
    errs.push(forbidden(`${path}.x-kubernetes-int-or-string`, 'must be false to be structural'));
  if (
    Array.isArray(v['x-kubernetes-list-map-keys']) &&
    (v['x-kubernetes-list-map-keys'] as unknown[]).length
  ) {
    errs.push(forbidden(`${path}.x-kubernetes-list-map-keys`, 'must be empty to be structural'));
  }
  if (v['x-kubernetes-list-type'] !== undefined)
    errs.push(forbidden(`${path}.x-kubernetes-list-type`, 'must be undefined to be structural'));
  if (props(v).metadata)
    errs.push(
      forbidden(`${path}.properties[metadata]`, 'must not be specified in a nested context'),
    );
  return errs;
}
