/**
 * Test harness of the controllers: kuberx's API server in this process (`startTestEnv`) and a
 * controller-manager running the chosen controllers against it. Everything is stopped by
 * `stop()`. Used by the controllers' unit tests and by `test/controllers/`.
 */
import {
  eventually,
  startTestEnv,
  type TestEnv,
  type TestEnvOptions,
} from '../framework/testing/index.js';
import {
  isNotFound,
  Node as NodeKind,
  Pod as PodKind,
  ServiceAccount,
  type ApiClient,
  type Kind,
  type KindRef,
  type Manager,
  type Pod,
} from '../framework/index.js';
import {
  createControllerManager,
  type ControllerManager,
  type ControllerManagerOptions,
} from './controllermanager.js';

export interface ClusterHarness {
  readonly env: TestEnv;
  readonly manager: Manager;
  readonly controllerManager: ControllerManager;
  /** Resolves when the manager stopped (rejects with its failure). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export type HarnessOptions = Partial<Omit<ControllerManagerOptions, 'kubeConfig' | 'transport'>> &
  Pick<ControllerManagerOptions, 'descriptors'> & {
    env?: TestEnvOptions;
    /** Runs against the API server before the controllers start (pre-existing state). */
    setup?: (env: TestEnv) => Promise<void>;
  };

/** Starts the API server and a controller-manager running `options.descriptors`. */
export async function startClusterHarness(options: HarnessOptions): Promise<ClusterHarness> {
  const env = await startTestEnv(options.env);
  try {
    await options.setup?.(env);
    const { env: _envOptions, setup: _setup, ...managerOptions } = options;
    const controllerManager = await createControllerManager({
      metricsBindAddress: '0',
      ...managerOptions,
      kubeConfig: env.kubeConfig,
    });
    const { manager } = controllerManager;
    const done = manager.start();
    done.catch(() => {});
    await manager.elected();
    return {
      env,
      manager,
      controllerManager,
      done,
      stop: async () => {
        manager.stop();
        await done.catch(() => {});
        await env.stop();
      },
    };
  } catch (err) {
    await env.stop();
    throw err;
  }
}

export interface TestPodOptions {
  labels?: Record<string, string>;
  nodeName?: string;
  /** Container ports (name → number), on one container named `app`. */
  ports?: Record<string, number>;
  hostname?: string;
  subdomain?: string;
  ownerReferences?: NonNullable<Pod['metadata']>['ownerReferences'];
}

/** A minimal pod for tests. */
export function testPod(namespace: string, name: string, options: TestPodOptions = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: options.labels,
      ownerReferences: options.ownerReferences,
    },
    spec: {
      nodeName: options.nodeName,
      hostname: options.hostname,
      subdomain: options.subdomain,
      containers: [
        {
          name: 'app',
          image: 'registry.k8s.io/pause:3.9',
          ports: Object.entries(options.ports ?? {}).map(([portName, containerPort]) => ({
            name: portName,
            containerPort,
          })),
        },
      ],
    },
  };
}

export interface TestPodStatus {
  ip?: string;
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** `lastTransitionTime` of the Ready condition. */
  readySince?: string;
}

/**
 * Writes a pod's status the way a kubelet would (phase, IPs, Ready condition): the small helper
 * that makes pods Ready while no simulated node does it.
 */
export async function setPodStatus(
  api: ApiClient,
  namespace: string,
  name: string,
  status: TestPodStatus,
): Promise<Pod> {
  const pod = structuredClone(await api.get(PodKind, name, { namespace })) as Pod;
  const ready = status.ready ? 'True' : 'False';
  const since = status.readySince ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  pod.status = {
    ...pod.status,
    phase: status.phase ?? 'Running',
    podIP: status.ip,
    podIPs: status.ip ? [{ ip: status.ip }] : undefined,
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: since },
      { type: 'Ready', status: ready, lastTransitionTime: since },
      { type: 'ContainersReady', status: ready, lastTransitionTime: since },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: since },
    ],
  };
  return api.updateStatus(pod, { kind: PodKind });
}

/** True when the object exists (a 404 is false; other errors throw). */
export async function exists(
  api: ApiClient,
  kind: KindRef,
  namespace: string | undefined,
  name: string,
): Promise<boolean> {
  try {
    await api.get(kind, name, { namespace });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/**
 * Creates a namespace and waits for its `default` ServiceAccount (the ServiceAccount controller
 * must run; pods need the account).
 */
export async function createNamespace(api: ApiClient, name: string): Promise<void> {
  await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await eventually(
    () => exists(api, ServiceAccount, name, 'default'),
    `default ServiceAccount in ${name}`,
  );
}

/** Registers a Node (for EndpointSlices' zone and node checks). */
export async function createNode(api: ApiClient, name: string, zone?: string): Promise<void> {
  await api.create(
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : undefined },
    },
    { kind: NodeKind },
  );
}

/**
 * Creates a CustomResourceDefinition serving `kind` (one version, any content) and waits until
 * its resource can be listed.
 */
export async function installTestCRD(api: ApiClient, kind: Kind): Promise<void> {
  await api.create(
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${kind.plural}.${kind.group}` },
      spec: {
        group: kind.group,
        scope: kind.namespaced ? 'Namespaced' : 'Cluster',
        names: {
          plural: kind.plural,
          singular: kind.kind.toLowerCase(),
          kind: kind.kind,
          listKind: `${kind.kind}List`,
        },
        versions: [
          {
            name: kind.version,
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        ],
      },
    },
    { kind: { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' } },
  );
  await eventually(async () => {
    try {
      await api.list(kind);
      return true;
    } catch {
      return false;
    }
  }, `${kind.plural}.${kind.group} served`);
}
