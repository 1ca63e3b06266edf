/**
 * Ordering of API groups and versions, as kube-apiserver presents them in discovery.
 *
 * Versions sort by Kubernetes version priority (`version.CompareKubeAwareVersionStrings`): GA before
 * beta before alpha, higher major first, then higher beta/alpha number; strings that are not
 * Kubernetes versions come last, alphabetically. The first version of a group is its preferred
 * version. Groups sort by upstream's built-in group priorities; other groups (custom resources)
 * follow, alphabetically.
 */

const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Negative when `a` sorts before `b` (i.e. `a` is preferred). */
export function compareKubeVersions(a: string, b: string): number {
  const ma = kubeVersion.exec(a);
  const mb = kubeVersion.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const stage = (m: RegExpExecArray): number => (!m[2] ? 2 : m[2] === 'beta' ? 1 : 0);
  if (stage(ma) !== stage(mb)) return stage(mb) - stage(ma);
  const major = Number(mb[1]) - Number(ma[1]);
  if (major !== 0) return major;
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

/** Built-in groups in kube-apiserver's discovery order (after the core group). */
const builtinGroupOrder = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
];

/** Negative when group `a` is listed before group `b`. The core group ('') is first. */
export function compareGroups(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  const ia = builtinGroupOrder.indexOf(a);
  const ib = builtinGroupOrder.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a < b ? -1 : 1;
}
