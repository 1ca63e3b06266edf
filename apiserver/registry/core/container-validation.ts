/**
 * Container validation, as pkg/apis/core/validation/validation.go (`validateContainers`,
 * `validateInitContainers`, `validateContainerPorts`, `ValidateEnv`, `ValidateVolumeMounts`,
 * `ValidateResourceRequirements`, `validateProbe`) words it.
 */
import type { FieldError } from '../../../common/index.js';
import { tryParseQuantity, type Quantity } from '../quantity/index.js';
import { duplicate, invalid, notFound, notSupported, required } from '../validation/field.js';
import { isDNS1123Label, isValidPortName, isValidPortNum } from '../validation/names.js';
import { isQualifiedName } from '../validation/names.js';

type Obj = Record<string, unknown>;

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];
const protocols = ['SCTP', 'TCP', 'UDP'];

function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

/** Options of {@link validateContainers}. */
export interface ContainersOptions {
  /** Names of the pod's volumes (volumeMounts must refer to one). */
  volumes: Set<string>;
  /** Container names already used (init + regular containers share one namespace). */
  names: Set<string>;
  /** `containers` (one required) or `initContainers`. */
  kind: 'containers' | 'initContainers' | 'ephemeralContainers';
}

/** Validates a list of containers at `path` (e.g. `spec.containers`). */
export function validateContainers(
  list: unknown,
  path: string,
  opts: ContainersOptions,
): FieldError[] {
  const errs: FieldError[] = [];
  const containers = objs(list);
  if (opts.kind === 'containers' && containers.length === 0) errs.push(required(path));
  containers.forEach((c, i) => errs.push(...validateContainer(c, `${path}[${i}]`, opts)));
  return errs;
}

function validateContainer(c: Obj, path: string, opts: ContainersOptions): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof c.name === 'string' ? c.name : '';
  if (!name) {
    errs.push(required(`${path}.name`));
  } else {
    for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
    if (opts.names.has(name)) errs.push(duplicate(`${path}.name`, name));
    opts.names.add(name);
  }
  if (typeof c.image !== 'string' || c.image.length === 0) {
    errs.push(required(`${path}.image`));
  } else if (c.image.trim() !== c.image) {
    errs.push(invalid(`${path}.image`, c.image, 'must not have leading or trailing whitespace'));
  }
  if (!c.imagePullPolicy) errs.push(required(`${path}.imagePullPolicy`));
  else if (!pullPolicies.includes(c.imagePullPolicy as string)) {
    errs.push(notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, pullPolicies));
  }
  if (!c.terminationMessagePolicy) errs.push(required(`${path}.terminationMessagePolicy`));
  else if (!terminationMessagePolicies.includes(c.terminationMessagePolicy as string)) {
    errs.push(
      notSupported(
        `${path}.terminationMessagePolicy`,
        c.terminationMessagePolicy,
        terminationMessagePolicies,
      ),
    );
  }
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, `${path}.volumeMounts`, opts.volumes));
  errs.push(...validateResourceRequirements(c.resources as Obj | undefined, `${path}.resources`));
  const probeAllowed =
    opts.kind === 'containers' || (opts.kind === 'initContainers' && c.restartPolicy === 'Always');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (!c[probe]) continue;
    if (!probeAllowed) {
      errs.push({
        type: 'FieldValueForbidden',
        field: `${path}.${probe}`,
        detail: `may not be set for ${opts.kind === 'initContainers' ? 'init containers without restartPolicy=Always' : 'ephemeral containers'}`,
      });
      continue;
    }
    errs.push(...validateProbe(c[probe] as Obj, `${path}.${probe}`, probe !== 'readinessProbe'));
  }
  if (
    opts.kind === 'initContainers' &&
    c.restartPolicy !== undefined &&
    c.restartPolicy !== 'Always'
  ) {
    errs.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
  }
  return errs;
}

/** `validateContainerPorts`. */
export function validateContainerPorts(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(list).forEach((p, i) => {
    const ip = `${path}[${i}]`;
    if (typeof p.name === 'string' && p.name !== '') {
      for (const msg of isValidPortName(p.name)) errs.push(invalid(`${ip}.name`, p.name, msg));
      if (names.has(p.name)) errs.push(duplicate(`${ip}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) {
      errs.push(required(`${ip}.containerPort`));
    } else {
      for (const msg of isValidPortNum(p.containerPort as number)) {
        errs.push(invalid(`${ip}.containerPort`, p.containerPort, msg));
      }
    }
    if (p.hostPort !== undefined && p.hostPort !== 0) {
      for (const msg of isValidPortNum(p.hostPort as number)) {
        errs.push(invalid(`${ip}.hostPort`, p.hostPort, msg));
      }
    }
    if (!p.protocol) errs.push(required(`${ip}.protocol`));
    else if (!protocols.includes(p.protocol as string)) {
      errs.push(notSupported(`${ip}.protocol`, p.protocol, protocols));
    }
  });
  return errs;
}

/** `ValidateEnv` (relaxed names, as RelaxedEnvironmentVariableValidation GA). */
export function validateEnv(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(list).forEach((e, i) => {
    const ip = `${path}[${i}]`;
    const name = typeof e.name === 'string' ? e.name : '';
    if (!name) errs.push(required(`${ip}.name`));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(name)) {
      errs.push(
        invalid(
          `${ip}.name`,
          name,
          "a valid environment variable name must consist only of printable ASCII characters other than '='",
        ),
      );
    }
    if (e.valueFrom) {
      const vf = e.valueFrom as Obj;
      const n = [
        'fieldRef',
        'resourceFieldRef',
        'configMapKeyRef',
        'secretKeyRef',
        'fileKeyRef',
      ].filter((k) => vf[k]).length;
      if (e.value) {
        errs.push(invalid(`${ip}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      }
      if (n === 0) {
        errs.push(
          invalid(
            `${ip}.valueFrom`,
            '',
            'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
          ),
        );
      } else if (n > 1) {
        errs.push(
          invalid(`${ip}.valueFrom`, '', 'may not have more than one field specified at a time'),
        );
      }
    }
  });
  return errs;
}

/** `ValidateVolumeMounts`: each mount names a pod volume; mount paths unique. */
export function validateVolumeMounts(
  list: unknown,
  path: string,
  volumes: Set<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  objs(list).forEach((m, i) => {
    const ip = `${path}[${i}]`;
    const name = typeof m.name === 'string' ? m.name : '';
    if (!name) errs.push(required(`${ip}.name`));
    else if (!volumes.has(name)) errs.push(notFound(`${ip}.name`, name));
    const mp = typeof m.mountPath === 'string' ? m.mountPath : '';
    if (!mp) errs.push(required(`${ip}.mountPath`));
    else if (paths.has(mp)) errs.push(invalid(`${ip}.mountPath`, mp, 'must be unique'));
    paths.add(mp);
  });
  return errs;
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** `ValidateResourceRequirements`: valid names and quantities; requests ≤ limits. */
export function validateResourceRequirements(res: Obj | undefined, path: string): FieldError[] {
  if (!res) return [];
  const errs: FieldError[] = [];
  const parsed = (kind: 'limits' | 'requests'): Map<string, Quantity> => {
    const out = new Map<string, Quantity>();
    for (const [k, v] of Object.entries((res[kind] as Obj | undefined) ?? {})) {
      const fp = `${path}.${kind}[${k}]`;
      errs.push(...validateContainerResourceName(k, fp));
      const q = tryParseQuantity(v);
      if (typeof q === 'string') {
        errs.push(invalid(fp, v, q));
        continue;
      }
      if (q.sign() < 0) errs.push(invalid(fp, q.toString(), 'must be greater than or equal to 0'));
      out.set(k, q);
    }
    return out;
  };
  const limits = parsed('limits');
  const requests = parsed('requests');
  for (const [k, req] of requests) {
    const lim = limits.get(k);
    if (lim && req.cmp(lim) > 0) {
      errs.push(
        invalid(
          `${path}.requests[${k}]`,
          req.toString(),
          `must be less than or equal to ${k} limit of ${lim.toString()}`,
        ),
      );
    }
  }
  return errs;
}

/** `validateContainerResourceName`: a qualified name; unprefixed names must be standard. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (errs.length) return errs;
  if (
    !name.includes('/') &&
    !standardContainerResources.has(name) &&
    !name.startsWith('hugepages-')
  ) {
    return [invalid(path, name, 'must be a standard resource for containers')];
  }
  return [];
}

/** `validateProbe`: one handler; thresholds non-negative; success threshold 1 when required. */
export function validateProbe(p: Obj, path: string, successMustBeOne: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => p[h]);
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  else if (handlers.length > 1) {
    errs.push({
      type: 'FieldValueForbidden',
      field: `${path}.${handlers[1]}`,
      detail: 'may not specify more than 1 handler type',
    });
  }
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ]) {
    const v = p[f];
    if (typeof v === 'number' && v < 0) {
      errs.push(invalid(`${path}.${f}`, v, 'must be greater than or equal to 0'));
    }
  }
  if (successMustBeOne && typeof p.successThreshold === 'number' && p.successThreshold !== 1) {
    errs.push(invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  const port = (p.httpGet as Obj | undefined)?.port ?? (p.tcpSocket as Obj | undefined)?.port;
  if (port !== undefined) {
    const pp = `${path}.${p.httpGet ? 'httpGet' : 'tcpSocket'}.port`;
    if (typeof port === 'number') {
      for (const msg of isValidPortNum(port)) errs.push(invalid(pp, port, msg));
    } else if (typeof port === 'string') {
      for (const msg of isValidPortName(port)) errs.push(invalid(pp, port, msg));
    }
  }
  return errs;
}
