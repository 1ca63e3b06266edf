/** The CronTab custom resource (crds/crontab.yaml), declared in TypeScript. */
import { CustomResource, type KubernetesObject, type ObjectMeta } from '../../framework/index.js';

export interface CronTabSpec {
  cronSpec?: string;
  image?: string;
  /** 1..10, default 1 (enforced by the CRD schema). */
  replicas?: number;
}

export interface CronTabStatus {
  /** Ready replicas of the CronTab's Deployment. */
  replicas?: number;
  /** Selector of the CronTab's pods (the scale subresource's `labelSelectorPath`). */
  labelSelector?: string;
}

@CustomResource({ group: 'stable.example.com', version: 'v1', kind: 'CronTab', plural: 'crontabs' })
export class CronTab implements KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: CronTabSpec;
  status?: CronTabStatus;
}
