/**
 * The expected number of pods behind a PDB (`getExpectedScale` and its finders in
 * `disruption.go`): the sum of the scales of the controllers of the selected pods, each counted
 * once. A pod's controller is found, in order, as a ReplicationController, a Deployment (through
 * its ReplicaSet), a ReplicaSet not controlled by a Deployment, a StatefulSet, or any kind whose
 * `/scale` subresource answers with the controller's UID. Typed controllers are read from the
 * cache; others through `/scale`.
 *
 * - Pods without a controller are "unmanaged": returned, not counted.
 * - A controller that no finder resolves → `found no controllers for pod "<name>"`.
 * - A kind without a scale subresource → `<resource>.<group> does not implement the scale
 *   subresource` (a DaemonSet's or a Job's pods under a percentage budget).
 */
import type {
  Deployment,
  ReplicaSet,
  ReplicationController,
  StatefulSet,
} from '../../framework/index.js';
import {
  getControllerOf,
  groupVersionPath,
  isNotFound,
  parseApiVersion,
  resourcePath,
  type ApiClient,
  type Informer,
  type KubernetesObject,
  type OwnerReference,
  type Pod,
} from '../../framework/index.js';

interface Scaled {
  uid: string;
  scale: number;
}

export interface ScaleFinderOptions {
  api: ApiClient;
  replicationControllers: Informer<ReplicationController>;
  replicaSets: Informer<ReplicaSet>;
  deployments: Informer<Deployment>;
  statefulSets: Informer<StatefulSet>;
}

type Finder = (ref: OwnerReference, namespace: string) => Promise<Scaled | undefined>;

/** `verifyGroupKind`. */
function isKind(ref: OwnerReference | undefined, kind: string, groups: string[]): boolean {
  if (!ref || ref.kind !== kind) return false;
  return groups.includes(parseApiVersion(ref.apiVersion ?? '').group);
}

type WithReplicas = KubernetesObject & { spec?: { replicas?: number } };

export class ScaleFinder {
  private readonly finders: Finder[];

  constructor(private readonly o: ScaleFinderOptions) {
    this.finders = [
      async (ref, ns) =>
        this.typed(ref, ns, 'ReplicationController', [''], o.replicationControllers),
      (ref, ns) => this.deploymentOf(ref, ns),
      async (ref, ns) => {
        const rs = this.cached(ref, ns, 'ReplicaSet', ['apps', 'extensions'], o.replicaSets);
        if (!rs || getControllerOf(rs)?.kind === 'Deployment') return undefined;
        return { uid: rs.metadata?.uid ?? '', scale: rs.spec?.replicas ?? 1 };
      },
      async (ref, ns) => this.typed(ref, ns, 'StatefulSet', ['apps'], o.statefulSets),
      (ref, ns) => this.scaleSubresource(ref, ns),
    ];
  }

  /** `getExpectedScale`; see the module comment. */
  async expectedScale(
    pods: readonly Readonly<Pod>[],
  ): Promise<{ count: number; unmanaged: string[] }> {
    const scales = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const ref = getControllerOf(pod);
      if (!ref) {
        unmanaged.push(pod.metadata?.name ?? '');
        continue;
      }
      if (scales.has(ref.uid)) continue;
      let found: Scaled | undefined;
      for (const finder of this.finders) {
        found = await finder(ref, pod.metadata?.namespace ?? '');
        if (found) break;
      }
      if (!found) throw new Error(`found no controllers for pod "${pod.metadata?.name}"`);
      scales.set(found.uid, found.scale);
    }
    let count = 0;
    for (const s of scales.values()) count += s;
    return { count, unmanaged };
  }

  private cached<T extends WithReplicas>(
    ref: OwnerReference,
    namespace: string,
    kind: string,
    groups: string[],
    informer: Informer<T>,
  ): Readonly<T> | undefined {
    if (!isKind(ref, kind, groups)) return undefined;
    const obj = informer.store.getByName(namespace, ref.name);
    return obj && obj.metadata?.uid === ref.uid ? obj : undefined;
  }

  private typed<T extends WithReplicas>(
    ref: OwnerReference,
    namespace: string,
    kind: string,
    groups: string[],
    informer: Informer<T>,
  ): Scaled | undefined {
    const obj = this.cached(ref, namespace, kind, groups, informer);
    return obj ? { uid: obj.metadata?.uid ?? '', scale: obj.spec?.replicas ?? 1 } : undefined;
  }

  /** `getPodDeployment`: the Deployment controlling the pod's ReplicaSet. */
  private async deploymentOf(ref: OwnerReference, namespace: string) {
    const rs = this.cached(
      ref,
      namespace,
      'ReplicaSet',
      ['apps', 'extensions'],
      this.o.replicaSets,
    );
    const dref = rs ? getControllerOf(rs) : undefined;
    if (!dref) return undefined;
    return this.typed(dref, namespace, 'Deployment', ['apps', 'extensions'], this.o.deployments);
  }

  /** `getScaleController`: any kind serving `/scale`. */
  private async scaleSubresource(
    ref: OwnerReference,
    namespace: string,
  ): Promise<Scaled | undefined> {
    const { group, version } = parseApiVersion(ref.apiVersion ?? '');
    const kind = await this.o.api.mapper.mapping({ group, version, kind: ref.kind });
    let scale: { metadata?: { uid?: string }; spec?: { replicas?: number } };
    try {
      scale = await this.o.api.rest.json({
        method: 'GET',
        path: resourcePath(kind, { namespace, name: ref.name, subresource: 'scale' }),
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (!(await this.implementsScale(kind.group, kind.version, kind.plural))) {
        const gr = kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
        throw new Error(`${gr} does not implement the scale subresource`);
      }
      return undefined;
    }
    if (scale.metadata?.uid !== ref.uid) return undefined;
    return { uid: ref.uid, scale: scale.spec?.replicas ?? 0 };
  }

  /** `implementsScale`: discovery lists `<resource>/scale` of kind Scale. */
  private async implementsScale(group: string, version: string, plural: string): Promise<boolean> {
    const list = await this.o.api.rest.json<{ resources?: Array<{ name: string; kind?: string }> }>(
      {
        method: 'GET',
        path: groupVersionPath({ group, version }),
      },
    );
    return (list.resources ?? []).some((r) => r.name === `${plural}/scale` && r.kind === 'Scale');
  }
}
