/**
 * The DefaultTolerationSeconds admission plugin (upstream
 * `plugin/pkg/admission/defaulttolerationseconds`): every pod written (create or update of the
 * pod itself) that does not already tolerate them gets
 * `{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}`
 * and the same for `node.kubernetes.io/unreachable`, so its pods are evicted 300 s after their
 * node stops reporting. A toleration with an empty key, or an empty effect, counts as tolerating.
 */
import * as defaults from './defaults.js';
import type { AdmissionPlugin } from './types.js';

type Obj = Record<string, unknown>;

export interface DefaultTolerationSecondsOptions {
  notReadySeconds?: number;
  unreachableSeconds?: number;
}

const notReady = 'node.kubernetes.io/not-ready';
const unreachable = 'node.kubernetes.io/unreachable';

export function defaultTolerationSeconds(
  opts: DefaultTolerationSecondsOptions = {},
): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(attrs) {
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'pods') return;
      if (attrs.subresource !== '' || !attrs.object) return;
      const spec = (attrs.object.spec ??= {}) as Obj;
      const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as Obj[]) : [];
      const tolerates = (key: string) =>
        tolerations.some(
          (t) => t && (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect),
        );
      const added: Obj[] = [];
      if (!tolerates(notReady)) {
        added.push({
          key: notReady,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: opts.notReadySeconds ?? defaults.defaultNotReadyTolerationSeconds,
        });
      }
      if (!tolerates(unreachable)) {
        added.push({
          key: unreachable,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds:
            opts.unreachableSeconds ?? defaults.defaultUnreachableTolerationSeconds,
        });
      }
      if (added.length > 0) spec.tolerations = [...tolerations, ...added];
    },
  };
}
