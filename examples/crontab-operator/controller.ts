/**
 * The CronTab operator: for each CronTab it keeps a Deployment of the same name running
 * `spec.replicas` replicas of `spec.image`, owned by the CronTab (so the garbage collector deletes
 * it with the CronTab), and reports the Deployment's ready replicas in `status.replicas`.
 *
 * The Deployment is written with server-side apply under the field manager `crontab-operator`,
 * so fields set by others (e.g. an autoscaler's annotations) are left alone.
 */
import {
  Client,
  Controller,
  Deployment,
  apiVersionOf,
  inject,
  isNotFound,
  kindOf,
  setControllerReference,
  type ReconcileContext,
  type Request,
  type Result,
} from '../../framework/index.js';
import { CronTab } from './crontab.js';

export const fieldManager = 'crontab-operator';

/** The label that ties a CronTab's pods to it. */
export const crontabLabel = 'stable.example.com/crontab';

@Controller({ for: CronTab, owns: [Deployment] })
export class CronTabController {
  constructor(@inject(Client) private readonly client: Client) {}

  async reconcile(request: Request, context: ReconcileContext): Promise<Result | void> {
    let crontab: Readonly<CronTab>;
    try {
      crontab = await this.client.get(CronTab, request.name, { namespace: request.namespace });
    } catch (err) {
      if (isNotFound(err)) return; // deleted: its Deployment goes with it (owner reference)
      throw err;
    }
    if (crontab.metadata?.deletionTimestamp) return;

    const deployment = await this.client.apply(desiredDeployment(crontab), {
      fieldManager,
      force: true,
    });

    const status = {
      replicas: deployment.status?.readyReplicas ?? 0,
      labelSelector: `${crontabLabel}=${request.name}`,
    };
    if (
      crontab.status?.replicas !== status.replicas ||
      crontab.status?.labelSelector !== status.labelSelector
    ) {
      await this.client.patch(
        CronTab,
        request.name,
        { status },
        {
          namespace: request.namespace,
          subresource: 'status',
        },
      );
      context.log.info({ replicas: status.replicas }, 'CronTab status updated');
    }
  }
}

/** The Deployment a CronTab wants. */
export function desiredDeployment(crontab: Readonly<CronTab>): Deployment {
  const name = crontab.metadata!.name!;
  const labels = { [crontabLabel]: name };
  const deployment: Deployment = {
    apiVersion: apiVersionOf(Deployment),
    kind: Deployment.kind,
    metadata: { name, namespace: crontab.metadata!.namespace, labels },
    spec: {
      replicas: crontab.spec?.replicas ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'crontab', image: crontab.spec?.image ?? '' }],
        },
      },
    },
  };
  setControllerReference(crontab, deployment, kindOf(CronTab));
  return deployment;
}
