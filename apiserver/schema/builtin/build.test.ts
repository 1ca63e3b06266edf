import { builtinDefinitions, newSchemaSet } from '../index.js';
import type { Schema } from '../types.js';
import { classForKind, parseClassName, referencedClasses } from './build.js';
import { parseAttributeTypeMap, parseDeclarations } from './clientnode.js';

const defs = builtinDefinitions();
const def = (name: string): Schema => {
  const d = defs.get(name);
  if (!d) throw new Error(`no definition ${name}`);
  return d;
};
const prop = (name: string, field: string): Schema => def(name).properties![field];

describe('built-in definitions derived from client-node models', () => {
  test('every $ref names a definition that exists', () => {
    const dangling: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (!node || typeof node !== 'object') return;
      const s = node as Schema;
      if (s.$ref !== undefined && !defs.has(s.$ref)) dangling.push(`${where} -> ${s.$ref}`);
      for (const [k, v] of Object.entries(s)) {
        if (k === 'properties') {
          for (const [p, child] of Object.entries(v as object)) visit(child, `${where}.${p}`);
        } else if (typeof v === 'object') visit(v, `${where}.${k}`);
      }
    };
    for (const [name, schema] of defs) visit(schema, name);
    expect(dangling).toEqual([]);
  });

  test.each([
    ['io.k8s.api.apps.v1.Deployment', 'apps', 'v1', 'Deployment'],
    ['io.k8s.api.core.v1.Pod', '', 'v1', 'Pod'],
    ['io.k8s.api.core.v1.Event', '', 'v1', 'Event'],
    ['io.k8s.api.events.v1.Event', 'events.k8s.io', 'v1', 'Event'],
    ['io.k8s.api.autoscaling.v1.Scale', 'autoscaling', 'v1', 'Scale'],
    [
      'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
      'autoscaling',
      'v2',
      'HorizontalPodAutoscaler',
    ],
    ['io.k8s.api.coordination.v1.LeaseList', 'coordination.k8s.io', 'v1', 'LeaseList'],
    [
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
      'apiextensions.k8s.io',
      'v1',
      'CustomResourceDefinition',
    ],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.Status', '', 'v1', 'Status'],
  ])('%s carries x-kubernetes-group-version-kind %s/%s %s', (name, group, version, kind) => {
    expect(def(name)['x-kubernetes-group-version-kind']).toEqual([{ group, version, kind }]);
  });

  test('DeleteOptions is tagged for every built-in group/version, core first', () => {
    const gvks = def('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')[
      'x-kubernetes-group-version-kind'
    ]!;
    expect(gvks[0]).toEqual({ group: '', version: 'v1', kind: 'DeleteOptions' });
    expect(gvks).toContainEqual({ group: 'apps', version: 'v1', kind: 'DeleteOptions' });
  });

  test('nested types land in the package that defines them upstream', () => {
    expect(prop('io.k8s.api.apps.v1.DeploymentSpec', 'template').$ref).toBe(
      'io.k8s.api.core.v1.PodTemplateSpec',
    );
    expect(prop('io.k8s.api.apps.v1.DeploymentSpec', 'selector').$ref).toBe(
      'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
    );
    expect(prop('io.k8s.api.storage.v1.StorageClass', 'allowedTopologies').items!.$ref).toBe(
      'io.k8s.api.core.v1.TopologySelectorTerm',
    );
  });

  test("the strategic-merge extensions of PodSpec.containers are upstream's", () => {
    expect(prop('io.k8s.api.core.v1.PodSpec', 'containers')).toMatchObject({
      type: 'array',
      items: { $ref: 'io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(prop('io.k8s.api.core.v1.PodSpec', 'volumes')['x-kubernetes-patch-strategy']).toBe(
      'merge,retainKeys',
    );
    expect(prop('io.k8s.api.core.v1.Container', 'ports')['x-kubernetes-list-map-keys']).toEqual([
      'containerPort',
      'protocol',
    ]);
  });

  test("required fields come from the models' non-optional properties", () => {
    expect(def('io.k8s.api.apps.v1.DeploymentSpec').required).toEqual(['selector', 'template']);
    expect(def('io.k8s.api.core.v1.Container').required).toEqual(['name']);
  });

  test.each([
    ['io.k8s.api.apps.v1.DeploymentSpec', 'replicas', { type: 'integer', format: 'int32' }],
    [
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'generation',
      { type: 'integer', format: 'int64' },
    ],
    [
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'creationTimestamp',
      { $ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' },
    ],
    [
      'io.k8s.api.coordination.v1.LeaseSpec',
      'renewTime',
      { $ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime' },
    ],
    [
      'io.k8s.api.core.v1.ServicePort',
      'targetPort',
      { $ref: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
    ],
    [
      'io.k8s.api.core.v1.Secret',
      'data',
      { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
    ],
    [
      'io.k8s.api.core.v1.ResourceRequirements',
      'limits',
      {
        type: 'object',
        additionalProperties: { $ref: 'io.k8s.apimachinery.pkg.api.resource.Quantity' },
      },
    ],
    [
      'io.k8s.api.apps.v1.ControllerRevision',
      'data',
      { $ref: 'io.k8s.apimachinery.pkg.runtime.RawExtension' },
    ],
  ])('%s.%s has the upstream type', (name, field, expected) => {
    expect(prop(name, field)).toMatchObject(expected);
  });

  test("descriptions come from the models' TSDoc", () => {
    expect(def('io.k8s.api.apps.v1.DeploymentSpec').description).toBe(
      'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    );
    expect(prop('io.k8s.api.apps.v1.DeploymentSpec', 'paused').description).toBe(
      'Indicates that the deployment is paused.',
    );
  });

  test('properties are sorted by name, as upstream documents are', () => {
    const names = Object.keys(def('io.k8s.api.core.v1.PodSpec').properties!);
    expect(names).toEqual([...names].sort());
  });

  test('atomic types and unions come from the project tables', () => {
    expect(def('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')['x-kubernetes-map-type']).toBe(
      'atomic',
    );
    expect(def('io.k8s.api.core.v1.SeccompProfile')['x-kubernetes-unions']).toEqual([
      {
        discriminator: 'type',
        'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' },
      },
    ]);
  });
});

describe('schema set', () => {
  test('kinds resolve to their definitions and registered schemas shadow and unregister', () => {
    const set = newSchemaSet();
    const gvk = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
    expect(set.forKind(gvk)).toBeUndefined();
    const changes: number[] = [];
    set.onChange(() => changes.push(set.generation));
    set.register('crd:crontabs', {
      'com.example.stable.v1.CronTab': { type: 'object', 'x-kubernetes-group-version-kind': [gvk] },
    });
    expect(set.nameForKind(gvk)).toBe('com.example.stable.v1.CronTab');
    set.unregister('crd:crontabs');
    expect(set.forKind(gvk)).toBeUndefined();
    expect(changes).toEqual([1, 2]);
    expect(set.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' })).toBe(
      def('io.k8s.api.apps.v1.Deployment'),
    );
  });
});

describe('client-node model parsing', () => {
  test('an attributeTypeMap literal is read with JSON names', () => {
    const src = `X.attributeTypeMap = [
    { "name": "_default", "baseName": "default", "type": "any", "format": "" }
];`;
    expect(parseAttributeTypeMap(src, 'X')).toEqual([{ name: 'default', type: 'any', format: '' }]);
  });

  test('TSDoc gives descriptions and non-optional properties are required', () => {
    const dts = `/**
* A thing.
*/
export declare class V1Thing {
    /**
    * The name, don\\'t forget \\"it\\".
    */
    'name': string;
    'labels'?: {
        [key: string]: string;
    };
}`;
    const parsed = parseDeclarations(dts);
    expect(parsed.description).toBe('A thing.');
    expect(parsed.fields.get('name')).toBe('The name, don\'t forget "it".');
    expect([...parsed.required]).toEqual(['name']);
  });

  test.each([
    ['V1Deployment', { groupPrefix: undefined, version: 'v1', kind: 'Deployment' }],
    ['CoreV1Event', { groupPrefix: 'core', version: 'v1', kind: 'Event' }],
    ['V2HPAScalingRules', { groupPrefix: undefined, version: 'v2', kind: 'HPAScalingRules' }],
    ['V1beta1DeviceClass', { groupPrefix: undefined, version: 'v1beta1', kind: 'DeviceClass' }],
  ])('class name %s parses', (name, expected) => {
    expect(parseClassName(name)).toEqual(expected);
  });

  test('referenced classes are found inside arrays and maps', () => {
    expect(referencedClasses('Array<V1Container>')).toEqual(['V1Container']);
    expect(referencedClasses('{ [key: string]: CoreV1EventSeries; }')).toEqual([
      'CoreV1EventSeries',
    ]);
  });

  test('a group-prefixed class wins for its group', () => {
    const models = new Map(
      ['CoreV1Event', 'EventsV1Event', 'V1Pod'].map((c) => [c, { className: c }]),
    );
    expect(classForKind(models, '', 'v1', 'Event')).toBe('CoreV1Event');
    expect(classForKind(models, 'events.k8s.io', 'v1', 'Event')).toBe('EventsV1Event');
    expect(classForKind(models, '', 'v1', 'Pod')).toBe('V1Pod');
  });
});
