/** Names kube-apiserver derives from a group/version for paths, operation ids and tags. */

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core`. */
export function groupCamel(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('');
}

/** The operation tag upstream uses: `apps_v1`, `rbacAuthorization_v1`, `core_v1`. */
export function tagOf(group: string, version: string): string {
  const camel = groupCamel(group);
  return `${camel.charAt(0).toLowerCase()}${camel.slice(1)}_${version}`;
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function gvPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** Upper-cases the first letter: `v1` → `V1`. */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
