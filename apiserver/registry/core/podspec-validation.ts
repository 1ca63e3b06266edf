/**
 * PodSpec and PodTemplateSpec validation (pkg/apis/core/validation/validation.go:
 * `ValidatePodSpec`, `validateVolumes`, `validateRestartPolicy`, `validateDNSPolicy`,
 * `ValidateTolerations`, `ValidatePodTemplateSpec`). Messages are upstream's.
 *
 * Covered: containers/initContainers/ephemeralContainers (names, images, pull and termination
 * policies, ports, env, volume mounts, resources, probes), volumes (names, exactly one source),
 * restartPolicy, dnsPolicy (+ dnsConfig for None), nodeSelector, nodeName, serviceAccountName,
 * hostname/subdomain, activeDeadlineSeconds, tolerations, template labels. Not covered: affinity
 * term details, topology spread constraints, security contexts, per-volume-source fields.
 */
import type { FieldError } from '../../../common/index.js';
import { validateLabels, validateAnnotations } from '../validation/objectmeta.js';
import { duplicate, forbidden, invalid, notSupported, required } from '../validation/field.js';
import {
  inclusiveRangeError,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
} from '../validation/names.js';
import { validateContainers } from './container-validation.js';
import { volumeSourceFields } from './podspec-defaults.js';

type Obj = Record<string, unknown>;

function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const maxInt32 = 2147483647;

/** `ValidatePodSpec`. */
export function validatePodSpec(spec: Obj | undefined, path: string): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  const volumes = new Set<string>();
  errs.push(...validateVolumes(s.volumes, `${path}.volumes`, volumes));
  const names = new Set<string>();
  errs.push(
    ...validateContainers(s.initContainers, `${path}.initContainers`, {
      volumes,
      names,
      kind: 'initContainers',
    }),
  );
  errs.push(
    ...validateContainers(s.containers, `${path}.containers`, {
      volumes,
      names,
      kind: 'containers',
    }),
  );
  errs.push(
    ...validateContainers(s.ephemeralContainers, `${path}.ephemeralContainers`, {
      volumes,
      names,
      kind: 'ephemeralContainers',
    }),
  );
  errs.push(...validateRestartPolicy(s.restartPolicy, `${path}.restartPolicy`));
  errs.push(...validateDNSPolicy(s, path));
  errs.push(
    ...validateLabels(s.nodeSelector as Record<string, string> | undefined, `${path}.nodeSelector`),
  );
  if (s.serviceAccountName) {
    for (const msg of isDNS1123Subdomain(s.serviceAccountName as string)) {
      errs.push(invalid(`${path}.serviceAccountName`, s.serviceAccountName, msg));
    }
  }
  if (s.nodeName) {
    for (const msg of isDNS1123Subdomain(s.nodeName as string)) {
      errs.push(invalid(`${path}.nodeName`, s.nodeName, msg));
    }
  }
  for (const f of ['hostname', 'subdomain']) {
    if (s[f])
      for (const msg of isDNS1123Label(s[f] as string))
        errs.push(invalid(`${path}.${f}`, s[f], msg));
  }
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds as number;
    if (v < 1 || v > maxInt32) {
      errs.push(invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, maxInt32)));
    }
  }
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (s.priorityClassName) {
    for (const msg of isDNS1123Subdomain(s.priorityClassName as string)) {
      errs.push(invalid(`${path}.priorityClassName`, s.priorityClassName, msg));
    }
  }
  return errs;
}

/** `validateVolumes`: unique DNS-label names and exactly one volume source. Fills `names`. */
export function validateVolumes(list: unknown, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  objs(list).forEach((v, i) => {
    const ip = `${path}[${i}]`;
    const name = typeof v.name === 'string' ? v.name : '';
    if (!name) errs.push(required(`${ip}.name`));
    else {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${ip}.name`, name, msg));
      if (names.has(name)) errs.push(duplicate(`${ip}.name`, name));
    }
    names.add(name);
    const sources = volumeSourceFields.filter((f) => v[f] !== undefined && v[f] !== null);
    if (sources.length === 0) errs.push(required(ip, 'must specify a volume type'));
    else if (sources.length > 1)
      errs.push(forbidden(`${ip}.${sources[1]}`, 'may not specify more than 1 volume type'));
    const pvc = v.persistentVolumeClaim as Obj | undefined;
    if (pvc && !pvc.claimName) errs.push(required(`${ip}.persistentVolumeClaim.claimName`));
    const hp = v.hostPath as Obj | undefined;
    if (hp && !hp.path) errs.push(required(`${ip}.hostPath.path`));
    const secret = v.secret as Obj | undefined;
    if (secret && !secret.secretName) errs.push(required(`${ip}.secret.secretName`));
    const cm = v.configMap as Obj | undefined;
    if (cm && !cm.name) errs.push(required(`${ip}.configMap.name`));
  });
  return errs;
}

/** `validateRestartPolicy`. */
export function validateRestartPolicy(policy: unknown, path: string): FieldError[] {
  if (policy === undefined || policy === null || policy === '') return [required(path)];
  return restartPolicies.includes(policy as string)
    ? []
    : [notSupported(path, policy, restartPolicies)];
}

function validateDNSPolicy(s: Obj, path: string): FieldError[] {
  const p = s.dnsPolicy;
  if (p === undefined || p === '') return [required(`${path}.dnsPolicy`)];
  if (!dnsPolicies.includes(p as string))
    return [notSupported(`${path}.dnsPolicy`, p, dnsPolicies)];
  if (p === 'None' && !s.dnsConfig) {
    return [required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None')];
  }
  return [];
}

const tolerationEffects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

/** `ValidateTolerations`. */
export function validateTolerations(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(list).forEach((t, i) => {
    const ip = `${path}[${i}]`;
    const key = (t.key as string) ?? '';
    if (key) for (const msg of isQualifiedName(key)) errs.push(invalid(`${ip}.key`, key, msg));
    const op = (t.operator as string) ?? '';
    if (!key && op !== 'Exists') {
      errs.push(
        invalid(
          `${ip}.operator`,
          op,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (
      t.tolerationSeconds !== undefined &&
      t.tolerationSeconds !== null &&
      t.effect !== 'NoExecute'
    ) {
      errs.push(
        invalid(
          `${ip}.effect`,
          t.effect ?? '',
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    switch (op) {
      case '':
      case 'Equal':
        break;
      case 'Exists':
        if (t.value)
          errs.push(
            invalid(`${ip}.operator`, t.value, "value must be empty when `operator` is 'Exists'"),
          );
        break;
      default:
        errs.push(notSupported(`${ip}.operator`, op, ['Equal', 'Exists']));
    }
    if (t.effect && !tolerationEffects.includes(t.effect as string)) {
      errs.push(notSupported(`${ip}.effect`, t.effect, tolerationEffects));
    }
  });
  return errs;
}

/** Options of {@link validatePodTemplateSpec}. */
export interface PodTemplateOptions {
  /** Allowed restart policies (workloads: `['Always']`; jobs: `['OnFailure', 'Never']`). */
  restartPolicies?: string[];
  /** Kind named in the activeDeadlineSeconds message, e.g. `ReplicaSet`; absent = allowed. */
  forbidActiveDeadlineFor?: string;
}

/** `ValidatePodTemplateSpec` plus the workload rules on restart policy and deadlines. */
export function validatePodTemplateSpec(
  template: Obj | undefined,
  path: string,
  opts: PodTemplateOptions = {},
): FieldError[] {
  if (!template) return [required(path)];
  const errs: FieldError[] = [];
  const meta = (template.metadata as Obj | undefined) ?? {};
  errs.push(
    ...validateLabels(meta.labels as Record<string, string> | undefined, `${path}.metadata.labels`),
  );
  errs.push(
    ...validateAnnotations(
      meta.annotations as Record<string, string> | undefined,
      `${path}.metadata.annotations`,
    ),
  );
  const spec = template.spec as Obj | undefined;
  errs.push(...validatePodSpec(spec, `${path}.spec`));
  const rp = spec?.restartPolicy;
  if (
    opts.restartPolicies &&
    rp &&
    restartPolicies.includes(rp as string) &&
    !opts.restartPolicies.includes(rp as string)
  ) {
    errs.push(notSupported(`${path}.spec.restartPolicy`, rp, opts.restartPolicies));
  }
  if (
    opts.forbidActiveDeadlineFor &&
    spec?.activeDeadlineSeconds !== undefined &&
    spec?.activeDeadlineSeconds !== null
  ) {
    errs.push(
      forbidden(
        `${path}.spec.activeDeadlineSeconds`,
        `activeDeadlineSeconds in ${opts.forbidActiveDeadlineFor} is not Supported`,
      ),
    );
  }
  return errs;
}
