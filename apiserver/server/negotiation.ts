/**
 * Content negotiation, as upstream's `endpoints/handlers/negotiation`: the `Accept` header picks
 * the response encoding (JSON or YAML) and, through its `as`/`g`/`v` parameters, an alternative
 * representation — a `meta.k8s.io` Table or PartialObjectMetadata, or the aggregated discovery
 * document (`apidiscovery.k8s.io` v2 / v2beta1). Entries are tried by decreasing `q`, in header
 * order on ties; the first one this endpoint can serve wins. Nothing acceptable → 406 with
 * upstream's message. Endpoints of built-in kinds also serve `application/vnd.kubernetes.protobuf`
 * (`protobuf` option) when the client prefers it (kubectl ≥ 1.32 sends
 * `application/vnd.kubernetes.protobuf,application/json`); Tables are JSON or YAML only.
 *
 * Request bodies: {@link requestContentType} classifies the `Content-Type` of writes.
 */
import { newNotAcceptable, newUnsupportedMediaType } from '../../common/index.js';
import { protobufMediaType } from '../protobuf/index.js';

/** The alternative representations an `Accept` header can ask for. */
export type TargetKind =
  'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList' | 'APIGroupDiscoveryList';

/** What the server will send. */
export interface Negotiated {
  encoding: 'json' | 'yaml' | 'protobuf';
  /** Set when the client asked for (and this endpoint serves) an alternative representation. */
  target?: { kind: TargetKind; group: string; version: string };
  /** The `Content-Type` of the response. */
  contentType: string;
}

/** Which alternative representations this endpoint can produce, by kind → allowed versions. */
export type Targets = Partial<Record<TargetKind, { group: string; versions: string[] }>>;

interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
  index: number;
}

/** Parses an `Accept` header into media ranges sorted by preference. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [];
  const ranges: MediaRange[] = [];
  header.split(',').forEach((part, index) => {
    const [mediaType, ...paramParts] = part.split(';').map((s) => s.trim());
    if (!mediaType) return;
    const [type = '', subtype = ''] = mediaType.toLowerCase().split('/');
    const params: Record<string, string> = {};
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      params[p.slice(0, eq).trim().toLowerCase()] = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
    }
    const q = params.q !== undefined ? Number(params.q) : 1;
    delete params.q;
    ranges.push({ type, subtype, params, q: Number.isFinite(q) ? q : 0, index });
  });
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
}

const acceptedMessage =
  'only the following media types are accepted: application/json, application/yaml, application/json;stream=watch';
const acceptedWithProtobufMessage = `only the following media types are accepted: application/json, application/yaml, ${protobufMediaType}, application/json;stream=watch`;

/** What an endpoint can serve besides JSON and YAML. */
export interface NegotiateOptions {
  /** The endpoint's kind (and its alternative representations) have a protobuf form. */
  protobuf?: boolean;
}

const baseTypes = {
  json: 'application/json',
  yaml: 'application/yaml',
  protobuf: protobufMediaType,
} as const;

/** Picks the response representation or throws 406 NotAcceptable. */
export function negotiate(
  accept: string | undefined,
  targets: Targets = {},
  opts: NegotiateOptions = {},
): Negotiated {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { encoding: 'json', contentType: 'application/json' };
  for (const r of ranges) {
    const encoding = encodingOf(r, opts.protobuf === true);
    if (!encoding) continue;
    const as = r.params.as;
    if (!as) return { encoding, contentType: baseTypes[encoding] };
    const allowed = targets[as as TargetKind];
    const group = r.params.g ?? '';
    const version = r.params.v ?? '';
    if (!allowed || allowed.group !== group || !allowed.versions.includes(version)) continue;
    if (encoding === 'protobuf' && as === 'Table') continue;
    return {
      encoding,
      target: { kind: as as TargetKind, group, version },
      contentType: `${baseTypes[encoding]};g=${group};v=${version};as=${as}`,
    };
  }
  throw newNotAcceptable(opts.protobuf ? acceptedWithProtobufMessage : acceptedMessage);
}

function encodingOf(r: MediaRange, protobuf: boolean): Negotiated['encoding'] | undefined {
  if (r.type === '*' && r.subtype === '*') return 'json';
  if (r.type !== 'application') return undefined;
  if (r.subtype === 'json' || r.subtype === '*') return 'json';
  if (r.subtype === 'yaml') return 'yaml';
  if (protobuf && r.subtype === 'vnd.kubernetes.protobuf' && !r.params.stream) return 'protobuf';
  return undefined;
}

/** The body encodings of writes. `apply` is server-side apply's YAML (or JSON) document. */
export type BodyType = 'json' | 'yaml';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** Patch content types and their kinds, as upstream's `types.PatchType`. */
export const patchContentTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** Classifies the body of a POST/PUT; 415 for anything but JSON and YAML. */
export function requestContentType(header: string | undefined): BodyType {
  return requestBodyType(header, false) as BodyType; // never 'protobuf' when not allowed
}

/**
 * Classifies the body of a POST/PUT (or a DELETE's options) of a type that may have a protobuf
 * form: `protobuf` when `protobuf` is true (built-in kinds) and the body is
 * `application/vnd.kubernetes.protobuf`; 415 listing the accepted types otherwise, as upstream
 * (custom resources accept JSON and YAML only).
 */
export function requestBodyType(
  header: string | undefined,
  protobuf: boolean,
): BodyType | 'protobuf' {
  const mediaType = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === '' || mediaType === 'application/json') return 'json';
  if (mediaType === 'application/yaml') return 'yaml';
  if (protobuf && mediaType === protobufMediaType) return 'protobuf';
  const accepted = ['application/json', 'application/yaml'];
  if (protobuf) accepted.push(protobufMediaType);
  throw newUnsupportedMediaType(mediaType, accepted);
}

/** Classifies the body of a PATCH; 415 listing `accepted` when the type is not one of them. */
export function patchType(header: string | undefined, accepted: PatchType[]): PatchType {
  const mediaType = (header ?? '').split(';')[0]!.trim().toLowerCase();
  const kind = patchContentTypes[mediaType];
  if (kind && accepted.includes(kind)) return kind;
  const names = Object.entries(patchContentTypes)
    .filter(([name, k]) => accepted.includes(k) && !name.endsWith('+cbor'))
    .map(([name]) => name);
  throw newUnsupportedMediaType(mediaType, names);
}
