/**
 * The default profile (upstream `apis/config/v1/default_plugins.go`), in upstream order — the
 * order filters run in, so a node failing several reports the first:
 * SchedulingGates, PrioritySort (the queue's order), NodeUnschedulable, NodeName,
 * TaintToleration (3), NodeAffinity (2), NodePorts, NodeResourcesFit (1), PodTopologySpread (2),
 * InterPodAffinity (2), DefaultPreemption, NodeResourcesBalancedAllocation (1), DefaultBinder.
 *
 * Not included: the volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding,
 * VolumeZone — kuberx has no volume provisioning) and ImageLocality (simulated nodes report no
 * images, so it would score every node 0).
 */
import { pluginWeights } from '../defaults.js';
import type { Handle, Plugin } from '../framework/interfaces.js';
import { DefaultPreemption, type DefaultPreemptionOptions } from './defaultpreemption/index.js';
import { InterPodAffinity } from './interpodaffinity/index.js';
import { NodeAffinity } from './nodeaffinity.js';
import { NodeName } from './nodename.js';
import { NodePorts } from './nodeports.js';
import { BalancedAllocation, NodeResourcesFit } from './noderesources.js';
import { NodeUnschedulable } from './nodeunschedulable.js';
import { PodTopologySpread } from './podtopologyspread/index.js';
import { SchedulingGates } from './schedulinggates.js';
import { TaintToleration } from './tainttoleration.js';

export interface DefaultProfile {
  plugins: Plugin[];
  weights: Readonly<Record<string, number>>;
  preemption: DefaultPreemption;
}

export function defaultProfile(
  handle: Handle,
  preemption: Omit<DefaultPreemptionOptions, 'handle'>,
): DefaultProfile {
  const dp = new DefaultPreemption({ ...preemption, handle });
  return {
    plugins: [
      new SchedulingGates(),
      new NodeUnschedulable(),
      new NodeName(),
      new TaintToleration(),
      new NodeAffinity(),
      new NodePorts(),
      new NodeResourcesFit(),
      new PodTopologySpread(handle),
      new InterPodAffinity(handle),
      dp,
      new BalancedAllocation(),
    ],
    weights: pluginWeights,
    preemption: dp,
  };
}
