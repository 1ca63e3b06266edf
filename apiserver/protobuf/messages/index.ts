/** Every package's message table, by package key (`../table.ts` `packageOf`). */
import type { PackageTable } from '../table.js';
import {
  admissionregistrationV1,
  authenticationV1,
  authenticationV1beta1,
  authorizationV1,
} from './admission.js';
import { apiextensionsV1 } from './apiextensions.js';
import {
  certificatesV1,
  coordinationV1,
  discoveryV1,
  eventsV1,
  flowcontrolV1,
  networkingV1,
  nodeV1,
  rbacV1,
  schedulingV1,
  storageV1,
} from './cluster.js';
import { coreV1 } from './core.js';
import { intstr, metaV1, resource, runtime } from './meta.js';
import { appsV1, autoscalingV1, autoscalingV2, batchV1, policyV1 } from './workloads.js';

export const packages: Readonly<Record<string, PackageTable>> = {
  'meta.v1': metaV1,
  resource,
  intstr,
  runtime,
  'core.v1': coreV1,
  'apps.v1': appsV1,
  'batch.v1': batchV1,
  'autoscaling.v1': autoscalingV1,
  'autoscaling.v2': autoscalingV2,
  'policy.v1': policyV1,
  'networking.v1': networkingV1,
  'storage.v1': storageV1,
  'scheduling.v1': schedulingV1,
  'node.v1': nodeV1,
  'coordination.v1': coordinationV1,
  'discovery.v1': discoveryV1,
  'events.v1': eventsV1,
  'rbac.v1': rbacV1,
  'certificates.v1': certificatesV1,
  'flowcontrol.v1': flowcontrolV1,
  'admissionregistration.v1': admissionregistrationV1,
  'authentication.v1': authenticationV1,
  'authentication.v1beta1': authenticationV1beta1,
  'authorization.v1': authorizationV1,
  'apiextensions.v1': apiextensionsV1,
};
