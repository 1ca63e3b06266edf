/**
 * What a pod references, as upstream's `podutil.VisitPodSecretNames` and
 * `VisitPodConfigmapNames` walk it (all containers: init, regular and ephemeral). Used by the
 * ServiceAccount and NodeRestriction plugins to refuse mirror pods that reference API objects.
 */

type Obj = Record<string, unknown>;

const objs = (v: unknown): Obj[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : [];
const obj = (v: unknown): Obj | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Every container of a pod spec (init, regular, ephemeral). */
export function allContainers(spec: Obj): Obj[] {
  return [
    ...objs(spec.initContainers),
    ...objs(spec.containers),
    ...objs(spec.ephemeralContainers),
  ];
}

function envRefs(spec: Obj, kind: 'secret' | 'configMap'): string[] {
  const out: string[] = [];
  for (const c of allContainers(spec)) {
    for (const e of objs(c.envFrom)) out.push(str(obj(e[`${kind}Ref`])?.name));
    for (const e of objs(c.env)) out.push(str(obj(obj(e.valueFrom)?.[`${kind}KeyRef`])?.name));
  }
  return out;
}

/** Names of the Secrets a pod spec references (empty names left out). */
export function podSecretNames(spec: Obj): string[] {
  const out = objs(spec.imagePullSecrets).map((s) => str(s.name));
  out.push(...envRefs(spec, 'secret'));
  for (const v of objs(spec.volumes)) {
    out.push(str(obj(v.secret)?.secretName), str(obj(v.azureFile)?.secretName));
    for (const src of ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos']) {
      out.push(str(obj(obj(v[src])?.secretRef)?.name));
    }
    out.push(str(obj(obj(v.csi)?.nodePublishSecretRef)?.name));
    for (const p of objs(obj(v.projected)?.sources)) out.push(str(obj(p.secret)?.name));
  }
  return out.filter((n) => n !== '');
}

/** Names of the ConfigMaps a pod spec references (empty names left out). */
export function podConfigMapNames(spec: Obj): string[] {
  const out = envRefs(spec, 'configMap');
  for (const v of objs(spec.volumes)) {
    out.push(str(obj(v.configMap)?.name));
    for (const p of objs(obj(v.projected)?.sources)) out.push(str(obj(p.configMap)?.name));
  }
  return out.filter((n) => n !== '');
}
