/**
 * ReplicaSet and ReplicationController are one controller parameterised by kind, as upstream runs
 * the ReplicaSet code for ReplicationControllers through a conversion adapter. A {@link ReplicaKind}
 * says how to read the few fields that differ (the RC's selector is a plain label map; its
 * template is optional) and names the controller and its event source.
 */
import {
  labelSelectorFromObject,
  ReplicaSet,
  ReplicationController,
  Selector,
  type Kind,
  type KubernetesObject,
} from '../../framework/index.js';
import type { PodTemplateSpec } from '../util/index.js';

/** Status of both kinds (identical shapes). */
export type ReplicaStatus = NonNullable<ReplicaSet['status']> & { terminatingReplicas?: number };

/** An object of either kind. */
export type ReplicaObject = KubernetesObject & {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    template?: PodTemplateSpec;
    selector?: unknown;
  };
  status?: ReplicaStatus;
};

export interface ReplicaKind {
  readonly kind: Kind;
  /** Controller name (metrics, logs): `replicaset` or `replicationcontroller`. */
  readonly name: string;
  /** Event source component. */
  readonly component: string;
  /** The pod selector; throws for an invalid one. */
  selector(obj: Readonly<ReplicaObject>): Selector;
}

export const replicaSetKind: ReplicaKind = {
  kind: ReplicaSet,
  name: 'replicaset',
  component: 'replicaset-controller',
  selector: (obj) =>
    labelSelectorFromObject(obj.spec?.selector as Parameters<typeof labelSelectorFromObject>[0]),
};

export const replicationControllerKind: ReplicaKind = {
  kind: ReplicationController,
  name: 'replicationcontroller',
  component: 'replication-controller',
  selector: (obj) => {
    const labels = (obj.spec?.selector ?? {}) as Record<string, string>;
    if (Object.keys(labels).length === 0) return Selector.everything();
    return labelSelectorFromObject({ matchLabels: labels });
  },
};
