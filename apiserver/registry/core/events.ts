/**
 * Events: core/v1 `events` and events.k8s.io/v1 `events`, one storage (core v1, as upstream
 * stores both in `/registry/events/`), with upstream's conversion between the two shapes
 * (pkg/apis/events/v1/conversion.go), validation (`ValidateEventCreate`/`ValidateEventUpdate`
 * incl. `legacyValidateEvent`), field selectors and the `kubectl get events` table.
 *
 * Events expire {@link eventTTLSeconds} after their last write (upstream's `--event-ttl`).
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { col, nameDescription } from '../printers/columns.js';
import { translateTimestampSince } from '../printers/duration.js';
import { invalid, required, validateImmutableField } from '../validation/field.js';
import { isDNS1123Subdomain, isQualifiedName } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { eventFieldLengthLimit, eventNoteLengthLimit, eventTTLSeconds } from '../defaults.js';

type Obj = Record<string, unknown>;

/** Field renames between core/v1 (left) and events.k8s.io/v1 (right). */
const renames: Array<[string, string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

/** core/v1 Event → events.k8s.io/v1 Event. */
export function coreEventToEventsV1(obj: KubeObject): KubeObject {
  const out: KubeObject = {
    ...structuredClone(obj),
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
  };
  for (const [core, ev] of renames) {
    delete out[core];
    if (obj[core] !== undefined && obj[core] !== null) out[ev] = structuredClone(obj[core]);
  }
  const src = out.deprecatedSource as Obj | undefined;
  if (src && Object.keys(src).length === 0) delete out.deprecatedSource;
  return out;
}

/** events.k8s.io/v1 Event → core/v1 Event. */
export function eventsV1ToCoreEvent(obj: KubeObject): KubeObject {
  const out: KubeObject = { ...structuredClone(obj), apiVersion: 'v1', kind: 'Event' };
  for (const [core, ev] of renames) {
    delete out[ev];
    if (obj[ev] !== undefined && obj[ev] !== null) out[core] = structuredClone(obj[ev]);
  }
  return out;
}

/** `legacyValidateEvent` on a core/v1-shaped event. `v1Names` picks events.k8s.io field names. */
function legacyValidateEvent(e: KubeObject, v1Names: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata?.namespace ?? '';
  const involvedNs = ((e.involvedObject as Obj | undefined)?.namespace as string) ?? '';
  const reportingController = (e.reportingComponent as string) ?? '';
  const rcField = v1Names ? 'reportingController' : 'reportingComponent';
  const len = (f: string) => ((e[f] as string) ?? '').length;
  if (!e.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') {
        errs.push(
          invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'),
        );
      }
    } else if (ns !== involvedNs) {
      errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') {
      errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
    if (!reportingController) errs.push(required(rcField));
    for (const msg of isQualifiedName(reportingController))
      errs.push(invalid(rcField, reportingController, msg));
    if (!e.reportingInstance) errs.push(required('reportingInstance'));
    if (len('reportingInstance') > eventFieldLengthLimit) {
      errs.push(
        invalid('reportingInstance', '', `can have at most ${eventFieldLengthLimit} characters`),
      );
    }
    if (!e.action) errs.push(required('action'));
    if (len('action') > eventFieldLengthLimit)
      errs.push(invalid('action', '', `can have at most ${eventFieldLengthLimit} characters`));
    if (!e.reason) errs.push(required('reason'));
    if (len('reason') > eventFieldLengthLimit)
      errs.push(invalid('reason', '', `can have at most ${eventFieldLengthLimit} characters`));
    if (len('message') > eventNoteLengthLimit)
      errs.push(invalid('message', '', `can have at most ${eventNoteLengthLimit} characters`));
  }
  for (const msg of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, msg));
  return errs;
}

/** Extra rules for events written through events.k8s.io/v1 (`ValidateEventCreate`). */
function validateEventsV1Create(e: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning')
    errs.push(invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.firstTimestamp) errs.push(invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (e.lastTimestamp) errs.push(invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (e.count) errs.push(invalid('deprecatedCount', '', 'needs to be unset'));
  const src = (e.source as Obj | undefined) ?? {};
  if (src.component || src.host) errs.push(invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

function validateEventsV1Update(e: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of [
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'action',
    'related',
    'reportingComponent',
    'reportingInstance',
    'type',
    'eventTime',
  ]) {
    errs.push(...validateImmutableField(e[f], old[f], f));
  }
  return errs;
}

/** Core field selectors (`event.ToSelectableFields`). */
function coreEventFieldLabels(e: KubeObject): Record<string, string> {
  const io = ((e.involvedObject as Obj | undefined) ?? {}) as Record<string, string>;
  const source =
    (e.source as Record<string, string> | undefined)?.component ||
    (e.reportingComponent as string) ||
    '';
  return {
    'metadata.name': e.metadata?.name ?? '',
    'metadata.namespace': e.metadata?.namespace ?? '',
    'involvedObject.kind': io.kind ?? '',
    'involvedObject.namespace': io.namespace ?? '',
    'involvedObject.name': io.name ?? '',
    'involvedObject.uid': io.uid ?? '',
    'involvedObject.apiVersion': io.apiVersion ?? '',
    'involvedObject.resourceVersion': io.resourceVersion ?? '',
    'involvedObject.fieldPath': io.fieldPath ?? '',
    reason: (e.reason as string) ?? '',
    reportingComponent: (e.reportingComponent as string) ?? '',
    source,
    type: (e.type as string) ?? '',
  };
}

const eventColumns = [
  col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col(
    'Reason',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  col('Object', 'The object that this event is about.'),
  col(
    'Subobject',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
    { wide: true },
  ),
  col(
    'Source',
    'The component reporting this event. Should be a short machine understandable string.',
    { wide: true },
  ),
  col('Message', 'A human-readable description of the status of this operation.'),
  col(
    'First Seen',
    'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    { wide: true },
  ),
  col('Count', 'The number of times this event has occurred.', { wide: true }),
  col('Name', nameDescription, { wide: true, format: 'name' }),
];

/** `printEvent` on a core/v1-shaped event. */
function coreEventCells(e: KubeObject, now: number): unknown[] {
  const first = e.firstTimestamp
    ? translateTimestampSince(e.firstTimestamp as string, now)
    : translateTimestampSince(e.eventTime as string, now);
  let last = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp as string, now) : first;
  let count = (e.count as number) ?? 0;
  const series = e.series as Obj | undefined;
  if (series) {
    last = translateTimestampSince(series.lastObservedTime as string, now);
    count = (series.count as number) ?? 0;
  } else if (count === 0) {
    count = 1;
  }
  const io = ((e.involvedObject as Obj | undefined) ?? {}) as Record<string, string>;
  const kind = (io.kind ?? '').toLowerCase();
  const target = io.name ? `${kind}/${io.name}` : kind;
  const src = ((e.source as Obj | undefined) ?? {}) as Record<string, string>;
  const component = src.component || (e.reportingComponent as string) || '';
  const instance = src.host || (e.reportingInstance as string) || '';
  return [
    last,
    (e.type as string) ?? '',
    (e.reason as string) ?? '',
    target,
    io.fieldPath ?? '',
    instance ? `${component}, ${instance}` : component,
    ((e.message as string) ?? '').trim(),
    first,
    count,
    e.metadata?.name ?? '',
  ];
}

export const events: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'events',
  singularName: 'event',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  allowCreateOnUpdate: true,
  ttlSeconds: eventTTLSeconds,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...legacyValidateEvent(obj, false),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...legacyValidateEvent(obj, false),
  ],
  fieldLabels: coreEventFieldLabels,
  table: { columns: eventColumns, cells: (obj, { now }) => coreEventCells(obj, now) },
};

/** events.k8s.io field selectors, mapped from the core ones as upstream's conversion does. */
function eventsV1FieldLabels(e: KubeObject): Record<string, string> {
  const core = coreEventFieldLabels(eventsV1ToCoreEvent(e));
  const out: Record<string, string> = {
    'metadata.name': core['metadata.name'],
    'metadata.namespace': core['metadata.namespace'],
    reason: core.reason,
    reportingController: core.reportingComponent,
    type: core.type,
  };
  for (const f of [
    'kind',
    'namespace',
    'name',
    'uid',
    'apiVersion',
    'resourceVersion',
    'fieldPath',
  ]) {
    out[`regarding.${f}`] = core[`involvedObject.${f}`];
  }
  return out;
}

export const eventsV1: ResourceType = {
  group: 'events.k8s.io',
  version: 'v1',
  resource: 'events',
  singularName: 'event',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  storagePrefix: 'events',
  allowCreateOnUpdate: true,
  ttlSeconds: eventTTLSeconds,
  conversion: {
    storageVersion: 'v1',
    toStorage: eventsV1ToCoreEvent,
    fromStorage: coreEventToEventsV1,
  },
  validateCreate(obj) {
    const core = eventsV1ToCoreEvent(obj);
    return [
      ...validateObjectMeta(obj.metadata, { namespaced: true }),
      ...validateEventsV1Create(core),
      ...legacyValidateEvent(core, true),
    ];
  },
  validateUpdate(obj, old) {
    const core = eventsV1ToCoreEvent(obj);
    return [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...validateEventsV1Update(core, eventsV1ToCoreEvent(old)),
      ...legacyValidateEvent(core, true),
    ];
  },
  fieldLabels: eventsV1FieldLabels,
  table: {
    columns: eventColumns,
    cells: (obj, { now }) => coreEventCells(eventsV1ToCoreEvent(obj), now),
  },
};
