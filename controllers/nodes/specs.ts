/**
 * The node specs of `kuberx nodes --count N` (and `kuberx up --nodes N`): nodes
 * `<prefix>1` … `<prefix>N`, spread round-robin over the zones, each with the same capacity, and
 * the IP and pod CIDR of its number (`ipam.ts`).
 */
import {
  defaultInstanceType,
  defaultMaxPods,
  defaultNodeCPU,
  defaultNodeEphemeralStorage,
  defaultNodeMemory,
  defaultNodeNamePrefix,
  defaultRegion,
  defaultZones,
  maxNodeNumber,
} from './defaults.js';
import { nodeIPFor, podCIDRFor } from './ipam.js';
import type { NodeSpec } from './nodeobject.js';

export interface NodeSpecsOptions {
  count: number;
  /** Default `kuberx-node-`. */
  namePrefix?: string;
  /** Number of the first node; default 1. */
  first?: number;
  cpu?: string;
  memory?: string;
  pods?: number;
  ephemeralStorage?: string;
  zones?: readonly string[];
  region?: string;
  instanceType?: string;
  taints?: NodeSpec['taints'];
}

const quantityPattern = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[kMGTPE]i?|m|[kMGTPE])?$/;

/** The specs; throws on a bad count, name prefix or quantity (a clear message, never a crash later). */
export function nodeSpecs(options: NodeSpecsOptions): NodeSpec[] {
  const prefix = options.namePrefix ?? defaultNodeNamePrefix;
  const first = options.first ?? 1;
  const zones = options.zones?.length ? options.zones : defaultZones;
  const cpu = options.cpu ?? defaultNodeCPU;
  const memory = options.memory ?? defaultNodeMemory;
  const pods = options.pods ?? defaultMaxPods;
  if (!Number.isInteger(options.count) || options.count < 0) {
    throw new Error(`node count must be a whole number, not ${options.count}`);
  }
  if (first + options.count - 1 > maxNodeNumber) {
    throw new Error(
      `at most ${maxNodeNumber} simulated nodes (asked for up to number ${first + options.count - 1})`,
    );
  }
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9-])?$/.test(prefix) || prefix.length > 240) {
    throw new Error(`node name prefix "${prefix}" must be lower-case letters, digits, '-' or '.'`);
  }
  for (const [flag, q] of [
    ['cpu', cpu],
    ['memory', memory],
  ] as const) {
    if (!quantityPattern.test(q))
      throw new Error(`--${flag} "${q}" is not a quantity (e.g. 4, 500m, 16Gi)`);
  }
  if (!Number.isInteger(pods) || pods < 1)
    throw new Error(`--pods must be a whole number >= 1, not ${pods}`);
  return Array.from({ length: options.count }, (_, i) => {
    const number = first + i;
    return {
      name: `${prefix}${number}`,
      number,
      zone: zones[i % zones.length]!,
      region: options.region ?? defaultRegion,
      instanceType: options.instanceType ?? defaultInstanceType,
      cpu,
      memory,
      pods,
      ephemeralStorage: options.ephemeralStorage ?? defaultNodeEphemeralStorage,
      internalIP: nodeIPFor(number),
      podCIDR: podCIDRFor(number),
      taints: options.taints,
    };
  });
}
