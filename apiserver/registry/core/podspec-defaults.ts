/**
 * Defaulting of PodSpec and what it contains, as pkg/apis/core/v1/defaults.go and the generated
 * openapi defaults do it. Shared by Pods and every pod template (ReplicationController,
 * PodTemplate, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob).
 *
 * All functions mutate in place and only fill fields that are absent (or null).
 */
import { ensure, setDefault } from '../strategy.js';

type Obj = Record<string, unknown>;

function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : [];
}

/**
 * `SetDefaults_PodSpec` and everything below it (containers, probes, volumes) — what every pod
 * template gets. Pod-only defaults are in {@link setDefaultsPodOnly}.
 */
export function setDefaultsPodSpec(spec: Obj): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const c of objs(spec.initContainers)) setDefaultsContainer(c);
  for (const c of objs(spec.containers)) setDefaultsContainer(c);
  for (const c of objs(spec.ephemeralContainers)) setDefaultsContainer(c);
  for (const v of objs(spec.volumes)) setDefaultsVolume(v);
}

/**
 * `SetDefaults_Pod`: defaults that apply to Pods but not to pod templates — requests default to
 * limits, `enableServiceLinks` true, and hostPort = containerPort with host networking.
 */
export function setDefaultsPodOnly(spec: Obj): void {
  for (const c of [...objs(spec.initContainers), ...objs(spec.containers)]) {
    const res = c.resources as Obj | undefined;
    const limits = res?.limits as Obj | undefined;
    if (res && limits && Object.keys(limits).length) {
      const requests = (res.requests ??= {}) as Obj;
      for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
    }
  }
  setDefault(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const c of [...objs(spec.containers), ...objs(spec.initContainers)]) {
      for (const p of objs(c.ports)) {
        if (p.hostPort === undefined || p.hostPort === 0) p.hostPort = p.containerPort;
      }
    }
  }
}

/** `SetDefaults_Container`: image pull policy by tag, termination message path and policy. */
export function setDefaultsContainer(c: Obj): void {
  if (!c.imagePullPolicy && typeof c.image === 'string') {
    c.imagePullPolicy = defaultImagePullPolicy(c.image);
  }
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  for (const p of objs(c.ports)) setDefault(p, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (c[probe] && typeof c[probe] === 'object') setDefaultsProbe(c[probe] as Obj);
  }
  for (const hook of ['postStart', 'preStop']) {
    const h = (c.lifecycle as Obj | undefined)?.[hook] as Obj | undefined;
    if (h?.httpGet) setDefaultsHTTPGetAction(h.httpGet as Obj);
  }
  for (const e of objs(c.env)) {
    const fieldRef = (e.valueFrom as Obj | undefined)?.fieldRef as Obj | undefined;
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

/**
 * Upstream's rule: `Always` when the image has no tag or the tag is `latest` (and no digest),
 * `IfNotPresent` otherwise.
 */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const lastPart = image.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon >= 0 ? lastPart.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** `SetDefaults_Probe`. */
export function setDefaultsProbe(p: Obj): void {
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (p.httpGet) setDefaultsHTTPGetAction(p.httpGet as Obj);
  if (p.grpc) setDefault(p.grpc as Obj, 'service', '');
}

/** `SetDefaults_HTTPGetAction`. */
export function setDefaultsHTTPGetAction(a: Obj): void {
  setDefault(a, 'path', '/');
  setDefault(a, 'scheme', 'HTTP');
}

const volumeSources = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

/** The volume source fields of a `Volume`. */
export const volumeSourceFields: readonly string[] = volumeSources;

/** `SetDefaults_Volume` and the per-source defaults (modes 0644). */
export function setDefaultsVolume(v: Obj): void {
  if (!volumeSources.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  const mode = 0o644;
  if (v.secret) setDefault(v.secret as Obj, 'defaultMode', mode);
  if (v.configMap) setDefault(v.configMap as Obj, 'defaultMode', mode);
  if (v.downwardAPI) {
    setDefault(v.downwardAPI as Obj, 'defaultMode', mode);
    for (const item of objs((v.downwardAPI as Obj).items)) {
      if (item.fieldRef) setDefault(item.fieldRef as Obj, 'apiVersion', 'v1');
    }
  }
  if (v.projected) {
    const p = v.projected as Obj;
    setDefault(p, 'defaultMode', mode);
    for (const s of objs(p.sources)) {
      if (s.serviceAccountToken)
        setDefault(s.serviceAccountToken as Obj, 'expirationSeconds', 3600);
      for (const item of objs((s.downwardAPI as Obj | undefined)?.items)) {
        if (item.fieldRef) setDefault(item.fieldRef as Obj, 'apiVersion', 'v1');
      }
    }
  }
  if (v.hostPath) setDefault(v.hostPath as Obj, 'type', '');
  if (v.iscsi) setDefault(v.iscsi as Obj, 'iscsiInterface', 'default');
  if (v.azureDisk) {
    const d = v.azureDisk as Obj;
    setDefault(d, 'cachingMode', 'ReadWrite');
    setDefault(d, 'fsType', 'ext4');
    setDefault(d, 'readOnly', false);
    setDefault(d, 'kind', 'Shared');
  }
  if (v.rbd) {
    const r = v.rbd as Obj;
    setDefault(r, 'pool', 'rbd');
    setDefault(r, 'user', 'admin');
    setDefault(r, 'keyring', '/etc/ceph/keyring');
  }
  if (v.scaleIO) {
    setDefault(v.scaleIO as Obj, 'storageMode', 'ThinProvisioned');
    setDefault(v.scaleIO as Obj, 'fsType', 'xfs');
  }
  if (v.ephemeral) {
    const spec = ((v.ephemeral as Obj).volumeClaimTemplate as Obj | undefined)?.spec as
      Obj | undefined;
    if (spec) setDefault(spec, 'volumeMode', 'Filesystem');
  }
}

/** Defaults of a pod template (`spec.template`) of a workload: the PodSpec inside it. */
export function setDefaultsPodTemplateSpec(template: Obj | undefined): void {
  if (!template) return;
  setDefaultsPodSpec(ensure(template, 'spec'));
}
