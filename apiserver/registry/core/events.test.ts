import { coreEventToEventsV1, events, eventsV1, eventsV1ToCoreEvent } from './events.js';
import { create, row } from '../testing/harness.js';

const coreEvent = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.1', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
  involvedObject: {
    kind: 'Pod',
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    apiVersion: 'v1',
    fieldPath: 'spec.containers{c}',
  },
  reason: 'Pulled',
  message: 'Pulled image ',
  source: { component: 'kubelet', host: 'n1' },
  firstTimestamp: '2024-01-01T00:10:00Z',
  lastTimestamp: '2024-01-01T00:50:00Z',
  count: 3,
  type: 'Normal',
};

describe('core/v1 events (legacyValidateEvent, printEvent)', () => {
  test('a legacy event in the namespace of its object is valid', () => {
    expect(create(events, coreEvent).errors).toEqual([]);
  });

  test('the involved object namespace must match the event namespace', () => {
    const bad = {
      ...coreEvent,
      involvedObject: { ...coreEvent.involvedObject, namespace: 'other' },
    };
    expect(create(events, bad).errors).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });

  test('new-style events (eventTime set) need reportingController, reportingInstance, action and reason', () => {
    const e = {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      eventTime: '2024-01-01T00:00:00.000000Z',
    };
    const { errors } = create(events, e);
    // Upstream also runs ValidateQualifiedName on the empty controller name (two more errors).
    expect(errors).toHaveLength(6);
    expect(errors).toEqual(
      expect.arrayContaining([
        'reportingComponent: Required value',
        'reportingComponent: Invalid value: "": name part must be non-empty',
        'reportingInstance: Required value',
        'action: Required value',
        'reason: Required value',
      ]),
    );
  });

  test('field selectors are upstream ToSelectableFields', () => {
    expect(events.fieldLabels!(coreEvent)).toEqual({
      'metadata.name': 'web.1',
      'metadata.namespace': 'default',
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': 'default',
      'involvedObject.name': 'web',
      'involvedObject.uid': 'u1',
      'involvedObject.apiVersion': 'v1',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': 'spec.containers{c}',
      reason: 'Pulled',
      reportingComponent: '',
      source: 'kubelet',
      type: 'Normal',
    });
  });

  test('the table shows LAST SEEN TYPE REASON OBJECT MESSAGE and the wide columns', () => {
    expect(row(events, coreEvent)).toEqual({
      'Last Seen': '10m',
      Type: 'Normal',
      Reason: 'Pulled',
      Object: 'pod/web',
      Subobject: 'spec.containers{c}',
      Source: 'kubelet, n1',
      Message: 'Pulled image',
      'First Seen': '50m',
      Count: 3,
      Name: 'web.1',
    });
  });

  test('a singleton event without a count shows 1', () => {
    expect(row(events, { ...coreEvent, count: undefined }).Count).toBe(1);
  });
});

describe('events.k8s.io/v1 events (one storage with core/v1)', () => {
  const v1 = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'e1', namespace: 'default' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
    note: 'hello',
    reason: 'Started',
    action: 'Start',
    reportingController: 'example.com/ctl',
    reportingInstance: 'ctl-1',
    type: 'Normal',
  };

  test('conversion renames regarding/note/reportingController and round-trips', () => {
    const core = eventsV1ToCoreEvent(v1);
    expect(core).toMatchObject({
      apiVersion: 'v1',
      involvedObject: v1.regarding,
      message: 'hello',
      reportingComponent: 'example.com/ctl',
    });
    expect(core.regarding).toBeUndefined();
    expect(coreEventToEventsV1(core)).toEqual(v1);
    expect(eventsV1.conversion!.storageVersion).toBe('v1');
    expect(eventsV1.storagePrefix).toBe('events');
  });

  test('a valid events.k8s.io event passes; deprecated fields must be unset', () => {
    expect(create(eventsV1, v1).errors).toEqual([]);
    expect(create(eventsV1, { ...v1, deprecatedCount: 2, type: 'Info' }).errors).toEqual([
      'type: Invalid value: "": has invalid value: Info',
      'deprecatedCount: Invalid value: "": needs to be unset',
    ]);
  });

  test('field selectors use events.k8s.io names', () => {
    expect(eventsV1.fieldLabels!(v1)).toMatchObject({
      'regarding.kind': 'Pod',
      'regarding.name': 'p',
      reportingController: 'example.com/ctl',
      type: 'Normal',
      reason: 'Started',
    });
  });
});
