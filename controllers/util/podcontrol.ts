/**
 * Creating and deleting a controller's pods (`controller.RealPodControl`), with the events
 * kube-controller-manager records on the controller:
 *
 * - create: a pod from the template (`GetPodFromTemplate`: template labels, annotations,
 *   finalizers and spec, `generateName: <controller>-`, the controller reference); `Normal
 *   SuccessfulCreate "Created pod: <name>"`, or `Warning FailedCreate "Error creating: <err>"`
 *   (not when the namespace is terminating). A template without labels is refused.
 * - delete: `Normal SuccessfulDelete "Deleted pod: <name>"`, or `Warning FailedDelete "Error
 *   deleting: <err>"`; NotFound is rethrown without an event.
 *
 * Events are fire and forget. Errors are rethrown to the caller.
 */
import {
  isNotFound,
  Pod,
  type Client,
  type ReplicaSet,
  type EventRecorder,
  type KubernetesObject,
  type OwnerReference,
} from '../../framework/index.js';
import { maxGeneratedNameLength, podEventReasons } from './defaults.js';
import { errorMessage, isNamespaceTerminating } from './errors.js';

/** A pod template as on the wire (`v1.PodTemplateSpec`). */
export type PodTemplateSpec = NonNullable<NonNullable<ReplicaSet['spec']>['template']>;

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `getPodsPrefix`: `<name>-` when that is a valid generateName prefix, else the name. */
export function podsPrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  const trimmed = prefix.slice(0, -1);
  return prefix.length <= 253 && dns1123Subdomain.test(trimmed) ? prefix : controllerName;
}

/** `GetPodFromTemplate` (with `CreatePodsWithGenerateName`'s optional generateName). */
export function podFromTemplate(
  template: Readonly<PodTemplateSpec>,
  parent: Readonly<KubernetesObject>,
  controllerRef: OwnerReference,
  generateName?: string,
): Pod {
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      labels: { ...(meta.labels ?? {}) },
      annotations: { ...(meta.annotations ?? {}) },
      finalizers: [...(meta.finalizers ?? [])],
      generateName: generateName || podsPrefix(parent.metadata?.name ?? ''),
      namespace: parent.metadata?.namespace,
      ownerReferences: [controllerRef],
    },
    spec: structuredClone(template.spec) as Pod['spec'],
  };
}

/** `names.SimpleNameGenerator`'s prefix rule: at most 58 characters before the random suffix. */
export function truncateGenerateName(prefix: string): string {
  return prefix.length > maxGeneratedNameLength ? prefix.slice(0, maxGeneratedNameLength) : prefix;
}

export class PodControl {
  constructor(
    private readonly client: Client,
    private readonly recorder: EventRecorder,
  ) {}

  /** Creates one pod for `parent` from `template`; resolves with the created pod. */
  async createPod(
    template: Readonly<PodTemplateSpec>,
    parent: Readonly<KubernetesObject>,
    controllerRef: OwnerReference,
    generateName?: string,
  ): Promise<Pod> {
    const pod = podFromTemplate(template, parent, controllerRef, generateName);
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) {
      throw new Error('unable to create pods, no labels');
    }
    try {
      const created = await this.client.create(pod, { kind: Pod });
      void this.recorder.event(
        parent,
        'Normal',
        podEventReasons.successfulCreate,
        `Created pod: ${created.metadata?.name}`,
      );
      return created;
    } catch (err) {
      if (!isNamespaceTerminating(err)) {
        void this.recorder.event(
          parent,
          'Warning',
          podEventReasons.failedCreate,
          `Error creating: ${errorMessage(err)}`,
        );
      }
      throw err;
    }
  }

  /** Deletes a pod of `parent` (default propagation). */
  async deletePod(
    namespace: string,
    name: string,
    parent: Readonly<KubernetesObject>,
  ): Promise<void> {
    try {
      await this.client.delete(Pod, name, { namespace });
    } catch (err) {
      if (isNotFound(err)) throw err;
      void this.recorder.event(
        parent,
        'Warning',
        podEventReasons.failedDelete,
        `Error deleting: ${errorMessage(err)}`,
      );
      throw new Error(`unable to delete pods: ${errorMessage(err)}`, { cause: err });
    }
    void this.recorder.event(
      parent,
      'Normal',
      podEventReasons.successfulDelete,
      `Deleted pod: ${name}`,
    );
  }

  /** A strategic-merge patch of a pod. */
  async patchPod(namespace: string, name: string, patch: unknown): Promise<void> {
    await this.client.patch(Pod, name, patch, { namespace, type: 'strategic' });
  }
}
