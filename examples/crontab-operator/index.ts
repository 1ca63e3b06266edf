/**
 * The CronTab operator example. Run it against any cluster with the CRD installed:
 *
 * ```sh
 * kubectl apply -f crds/crontab.yaml
 * npx kuberx run examples/crontab-operator --kubeconfig FILE
 * ```
 *
 * `kuberx run` registers every exported class decorated with `@Controller`.
 */
export { CronTab, type CronTabSpec, type CronTabStatus } from './crontab.js';
export { CronTabController, desiredDeployment, crontabLabel, fieldManager } from './controller.js';
