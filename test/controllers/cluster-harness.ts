/**
 * Shared set-up of the `test/controllers/cluster*` suites: kuberx's API server in this process
 * with the controller-manager running every reference controller (except node lifecycle and
 * taint eviction: there are no kubelets), a Node object for endpoints, and real kubectl runners.
 * Pods become Ready through `setPodStatus` (the test's stand-in for a kubelet).
 */
import { existsSync } from 'node:fs';
import { controllerDescriptors } from '../../controllers/index.js';
import {
  createNode,
  startClusterHarness,
  type ClusterHarness,
} from '../../controllers/testharness.js';
import { Kubectl, kubectlDir } from '../kubectl/kubectl-runner.js';

export { setPodStatus, testPod } from '../../controllers/testharness.js';
export { Kubectl };

/** `describe` when `kubectl.<version>` is installed; a failing test under CI, a skip elsewhere. */
export function describeWithKubectl(version: string, name: string, fn: () => void): void {
  const bin = `${kubectlDir}/kubectl.${version}`;
  if (existsSync(bin)) describe(`${name} (kubectl ${version})`, fn);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      test(`needs kubectl ${version}`, () => {
        throw new Error(`kubectl ${version} not found at ${bin}`);
      });
    });
  } else {
    process.stderr.write(`skipping "${name}": kubectl ${version} not found at ${bin}\n`);
    describe.skip(name, fn);
  }
}

/** The API server and the whole controller-manager, with `node-1` registered. */
export function startControllers(
  setup?: (env: ClusterHarness['env']) => Promise<void>,
): Promise<ClusterHarness> {
  return startClusterHarness({
    descriptors: controllerDescriptors,
    controllers: '*,-nodelifecycle,-taint-eviction-controller',
    setup: async (env) => {
      await createNode(env.client, 'node-1', 'zone-a');
      await setup?.(env);
    },
  });
}

/** A kubectl runner for `namespace` (one discovery cache per runner). */
export function kubectl(h: ClusterHarness, version: string, namespace: string): Kubectl {
  return new Kubectl(version, h.env.url, namespace);
}

/** Parses `kubectl … -o json`. */
export function json<T = Record<string, unknown>>(text: string): T {
  return JSON.parse(text) as T;
}
