/**
 * A suspended CronJob whose pod template sets many long-GA PodSpec fields — embedded structs
 * (ConfigMapKeySelector.name), IntOrString ports both ways, quantities, Go pointer fields set to
 * false or zero-like values (`automountServiceAccountToken: false`, `enableServiceLinks: false`),
 * int64 pointers, maps and nested lists — to push through kubectl's protobuf decoder and encoder.
 * Only fields kubectl 1.27 (the JSON control) knows, so every version copies all of them.
 */
export function richCronJob(namespace: string) {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'rich', namespace, labels: { app: 'rich' } },
    spec: {
      schedule: '0 3 * * *',
      suspend: true,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 100,
      successfulJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { app: 'rich' } },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 900,
          ttlSecondsAfterFinished: 60,
          template: {
            metadata: { labels: { app: 'rich', tier: 'batch' }, annotations: { note: 'x' } },
            spec: podSpec(),
          },
        },
      },
    },
  };
}

function podSpec() {
  return {
    restartPolicy: 'OnFailure',
    terminationGracePeriodSeconds: 10,
    activeDeadlineSeconds: 600,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    hostAliases: [{ ip: '10.0.0.9', hostnames: ['db.local'] }],
    dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
    securityContext: {
      runAsUser: 1000,
      runAsGroup: 3000,
      fsGroup: 2000,
      supplementalGroups: [4000],
      sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '32768 60999' }],
    },
    initContainers: [
      { name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], resources: {} },
    ],
    containers: [
      {
        name: 'main',
        image: 'nginx:1.25',
        imagePullPolicy: 'IfNotPresent',
        command: ['nginx'],
        args: ['-g', 'daemon off;'],
        workingDir: '/srv',
        ports: [
          { name: 'http', containerPort: 8080 },
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
        ],
        env: [
          { name: 'PLAIN', value: 'v' },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          {
            name: 'MEM',
            valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } },
          },
          { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } },
          {
            name: 'FROM_SECRET',
            valueFrom: { secretKeyRef: { name: 'sec', key: 'k', optional: true } },
          },
        ],
        envFrom: [
          { prefix: 'CFG_', configMapRef: { name: 'cfg' } },
          { secretRef: { name: 'sec', optional: false } },
        ],
        resources: {
          limits: { cpu: '500m', memory: '128Mi' },
          requests: { cpu: '250m', memory: '64Mi' },
        },
        volumeMounts: [
          { name: 'config', mountPath: '/etc/cfg', readOnly: true },
          { name: 'cache', mountPath: '/cache', subPath: 'c' },
        ],
        livenessProbe: {
          httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'X-Probe', value: '1' }] },
          initialDelaySeconds: 5,
          periodSeconds: 7,
          failureThreshold: 4,
        },
        readinessProbe: { tcpSocket: { port: 'http' }, timeoutSeconds: 2 },
        startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, successThreshold: 1 },
        lifecycle: { preStop: { exec: { command: ['nginx', '-s', 'quit'] } } },
        terminationMessagePolicy: 'FallbackToLogsOnError',
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      },
    ],
    volumes: [
      {
        name: 'config',
        configMap: {
          name: 'cfg',
          items: [{ key: 'k', path: 'k.conf', mode: 0o600 }],
          defaultMode: 0o644,
          optional: true,
        },
      },
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'creds', secret: { secretName: 'sec', defaultMode: 0o400 } },
      {
        name: 'projected',
        projected: {
          sources: [
            { serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' } },
            {
              downwardAPI: {
                items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }],
              },
            },
          ],
        },
      },
    ],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] },
          ],
        },
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: { app: 'rich' } },
            },
          },
        ],
      },
    },
    tolerations: [
      { key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' },
      { key: 'slow', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: 'rich' } },
      },
    ],
  };
}
