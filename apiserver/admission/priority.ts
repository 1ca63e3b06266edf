/**
 * The Priority admission plugin (upstream `plugin/pkg/admission/priority`):
 *
 * - Pod create: `spec.priorityClassName` resolves to the class's value in `spec.priority` (and its
 *   `preemptionPolicy`); an unknown class → 403 `no PriorityClass with name x was found`. Without
 *   a class name the pod gets the global default class (the lowest-valued one if several), or
 *   priority 0 and `PreemptLowerPriority`. A pod that states a different `priority` or
 *   `preemptionPolicy` than its class gives → 403 with upstream's message. The two system classes
 *   (`system-node-critical`, `system-cluster-critical`) resolve even before they are stored.
 * - Pod update: the stored priority and preemption policy are kept when the update omits them.
 * - PriorityClass create/update: at most one class may be `globalDefault` → 403 `PriorityClass x
 *   is already marked as default. Only one default can exist`.
 */
import type { KubeObject } from '../registry/types.js';
import { systemPriorityClasses } from '../registry/scheduling/priorityclasses.js';
import * as defaults from './defaults.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionLookup } from './lookup.js';
import type { AdmissionPlugin } from './types.js';

type Obj = Record<string, unknown>;

const priorityClasses = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };

/** Upstream `getDefaultPriorityClass`: the global default with the lowest value. */
export function defaultPriorityClassOf(classes: KubeObject[]): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const pc of classes) {
    if (pc.globalDefault !== true) continue;
    if (!best || (best.value as number) > (pc.value as number)) best = pc;
  }
  return best;
}

export function priorityAdmission(opts: { lookup: AdmissionLookup }): AdmissionPlugin {
  async function resolve(name: string): Promise<KubeObject | undefined> {
    const pc = await opts.lookup.get(priorityClasses, '', name);
    return pc ?? systemPriorityClasses().find((s) => s.metadata?.name === name);
  }

  return {
    name: 'Priority',
    async admit(attrs) {
      if (attrs.subresource !== '' || !attrs.object) return;
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'pods') return;
      const spec = (attrs.object.spec ??= {}) as Obj;
      if (attrs.operation === 'UPDATE') {
        const old = (attrs.oldObject?.spec ?? {}) as Obj;
        if (spec.priority === undefined && old.priority !== undefined) spec.priority = old.priority;
        if (spec.preemptionPolicy === undefined && old.preemptionPolicy !== undefined) {
          spec.preemptionPolicy = old.preemptionPolicy;
        }
        return;
      }
      if (attrs.operation !== 'CREATE') return;
      let priority: number;
      let policy: string | undefined;
      if (!spec.priorityClassName) {
        const def = defaultPriorityClassOf(await opts.lookup.list(priorityClasses, ''));
        if (def) {
          spec.priorityClassName = def.metadata?.name;
          priority = def.value as number;
          policy = def.preemptionPolicy as string | undefined;
        } else {
          priority = defaults.defaultPriorityWhenNoDefaultClass;
          policy = 'PreemptLowerPriority';
        }
      } else {
        const pc = await resolve(String(spec.priorityClassName));
        if (!pc) {
          throw admissionForbidden(
            attrs,
            `no PriorityClass with name ${String(spec.priorityClassName)} was found`,
          );
        }
        priority = (pc.value as number) ?? 0;
        policy = pc.preemptionPolicy as string | undefined;
      }
      if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
        throw admissionForbidden(
          attrs,
          `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
        );
      }
      spec.priority = priority;
      if (policy !== undefined) {
        if (
          spec.preemptionPolicy !== undefined &&
          spec.preemptionPolicy !== null &&
          spec.preemptionPolicy !== policy
        ) {
          throw admissionForbidden(
            attrs,
            `the string value of PreemptionPolicy (${String(spec.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
          );
        }
        spec.preemptionPolicy = policy;
      }
    },
    async validate(attrs) {
      if (attrs.subresource !== '' || !attrs.object) return;
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      if (
        attrs.resource.group !== priorityClasses.group ||
        attrs.resource.resource !== priorityClasses.resource
      ) {
        return;
      }
      if (attrs.object.globalDefault !== true) return;
      const existing = defaultPriorityClassOf(await opts.lookup.list(priorityClasses, ''));
      if (!existing) return;
      const name = existing.metadata?.name ?? '';
      if (attrs.operation === 'CREATE' || name !== attrs.object.metadata?.name) {
        throw admissionForbidden(
          attrs,
          `PriorityClass ${name} is already marked as default. Only one default can exist`,
        );
      }
    },
  };
}
