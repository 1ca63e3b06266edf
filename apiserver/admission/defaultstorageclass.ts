/**
 * The DefaultStorageClass admission plugin (upstream `storageclass/setdefault`): a
 * PersistentVolumeClaim created without a class (`spec.storageClassName` absent and no
 * `volume.beta.kubernetes.io/storage-class` annotation) gets the default StorageClass — the one
 * annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the beta annotation); when
 * several are, the newest (then the first by name), as upstream since 1.28. No default class:
 * the claim is left as it is. An explicit `storageClassName: ""` means "no class" and is kept.
 */
import type { KubeObject } from '../registry/types.js';
import * as defaults from './defaults.js';
import type { AdmissionLookup } from './lookup.js';
import type { AdmissionPlugin } from './types.js';

type Obj = Record<string, unknown>;

/** Upstream `util.GetDefaultClass`: the newest class marked default, or undefined. */
export function defaultStorageClassOf(classes: KubeObject[]): KubeObject | undefined {
  const marked = classes.filter((c) =>
    defaults.defaultStorageClassAnnotations.some((a) => c.metadata?.annotations?.[a] === 'true'),
  );
  marked.sort((a, b) => {
    const ta = a.metadata?.creationTimestamp ?? '';
    const tb = b.metadata?.creationTimestamp ?? '';
    if (ta !== tb) return ta > tb ? -1 : 1;
    return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
  });
  return marked[0];
}

export function defaultStorageClass(opts: { lookup: AdmissionLookup }): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    async admit(attrs) {
      if (attrs.operation !== 'CREATE' || attrs.subresource !== '' || !attrs.object) return;
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'persistentvolumeclaims') {
        return;
      }
      const pvc = attrs.object;
      const spec = (pvc.spec ??= {}) as Obj;
      const annotated =
        pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined;
      if (annotated || (spec.storageClassName !== undefined && spec.storageClassName !== null)) {
        return;
      }
      const classes = await opts.lookup.list(
        { group: 'storage.k8s.io', resource: 'storageclasses' },
        '',
      );
      const def = defaultStorageClassOf(classes);
      if (def) spec.storageClassName = def.metadata?.name;
    },
  };
}
