/**
 * The CronTab CustomResourceDefinition of the Kubernetes documentation ("Extend the Kubernetes API
 * with CustomResourceDefinitions"): group stable.example.com, v1, cronSpec/image/replicas with
 * 1 ≤ replicas ≤ 10 (default 1), the status and scale subresources and printer columns — our own
 * copy for the CRD suites, as JSON and YAML. Also small helpers to wait for server-side state
 * (polling a real server: a short real wait per try, never a fixed sleep).
 */
import { stringify } from 'yaml';

export const crontabCRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: {
      plural: 'crontabs',
      singular: 'crontab',
      kind: 'CronTab',
      shortNames: ['ct'],
      categories: ['all'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  cronSpec: {
                    type: 'string',
                    pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$',
                  },
                  image: { type: 'string' },
                  replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
                },
              },
              status: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer' },
                  labelSelector: { type: 'string' },
                },
              },
            },
          },
        },
        subresources: {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.labelSelector',
          },
        },
        additionalPrinterColumns: [
          {
            name: 'Spec',
            type: 'string',
            description: 'The cron spec defining the interval a CronJob is run',
            jsonPath: '.spec.cronSpec',
          },
          {
            name: 'Replicas',
            type: 'integer',
            description: 'The number of jobs launched by the CronJob',
            jsonPath: '.spec.replicas',
          },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
};

export const crontabCRDYaml = stringify(crontabCRD);

/** A CronTab in `namespace`. */
export function cronTab(name: string, spec: Record<string, unknown>, namespace = 'default') {
  return {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name, namespace },
    spec,
  };
}

/**
 * Polls `probe` until it returns a value other than undefined, with a short real wait between
 * tries; fails after `tries` attempts (a broken server fails the test instead of hanging it).
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  tries = 200,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The condition of a CRD object, or undefined. */
export function condition(crd: any, type: string): any {
  return (crd?.status?.conditions ?? []).find((c: any) => c.type === type);
}
