/**
 * The controller-UID index on shared informers (upstream's `controllerUIDIndex`): objects by the
 * UID of their controller, and orphans under `<namespace>/<orphan>`. A controller reads its
 * children and the orphans it may adopt without scanning the namespace.
 */
import type { Informer, KubernetesObject } from '../../framework/index.js';
import { getControllerOf } from '../../framework/index.js';
import { controllerUIDIndex, orphanIndexSuffix } from './defaults.js';

/** The index value of a namespace's orphans. */
export function orphanIndexKey(namespace: string): string {
  return `${namespace}/${orphanIndexSuffix}`;
}

/** The index function: the controller's UID, or the namespace's orphan key. */
export function controllerUIDIndexFunc(obj: Readonly<KubernetesObject>): string[] {
  const ref = getControllerOf(obj);
  if (ref?.uid) return [ref.uid];
  return [orphanIndexKey(obj.metadata?.namespace ?? '')];
}

/** Adds the index to a shared informer once (several controllers share one informer). */
export function ensureControllerUIDIndex(informer: Informer<KubernetesObject>): void {
  if (informer.store.indexNames().includes(controllerUIDIndex)) return;
  informer.addIndexers({ [controllerUIDIndex]: controllerUIDIndexFunc });
}

/** Objects controlled by `uid` plus the orphans of `namespace`. */
export function ownedAndOrphans<T extends KubernetesObject>(
  informer: Informer<T>,
  namespace: string,
  uid: string,
): Readonly<T>[] {
  return [
    ...informer.store.byIndex(controllerUIDIndex, uid),
    ...informer.store.byIndex(controllerUIDIndex, orphanIndexKey(namespace)),
  ];
}
