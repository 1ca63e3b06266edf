/**
 * The legacy server-side rollback (`rollback.go`): a Deployment annotated
 * `deprecated.deployment.rollback.to: N` (what `spec.rollbackTo` of extensions/v1beta1 and
 * apps/v1beta1 became) gets the template of revision N (0: the previous one) and the annotation
 * removed. `kubectl rollout undo` does not use it (it patches the template client-side).
 */
import { Deployment, type ReplicaSet } from '../../framework/index.js';
import { lastRevision, revisionOf, setDeploymentAnnotationsTo } from './annotations.js';
import { deprecatedRollbackTo, rollbackReasons } from './defaults.js';
import { equalIgnoreHash, setFromReplicaSetTemplate } from './replicasets.js';
import { rollbackTo, type DeploymentSyncer } from './sync.js';

type RS = Readonly<ReplicaSet>;

export async function rollback(
  s: DeploymentSyncer,
  d: Deployment,
  rsList: readonly RS[],
): Promise<void> {
  const { newRS, oldRSs } = await s.allReplicaSetsAndSyncRevision(d, rsList, true);
  const allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let revision = rollbackTo(d) ?? 0;
  if (revision === 0) {
    revision = lastRevision(allRSs);
    if (revision === 0) {
      void s.o.recorder.event(
        d,
        'Warning',
        rollbackReasons.revisionNotFound,
        'Unable to find last revision.',
      );
      return clearRollbackTo(s, d);
    }
  }
  const target = allRSs.find((rs) => revisionOf(rs) === revision);
  if (!target) {
    void s.o.recorder.event(
      d,
      'Warning',
      rollbackReasons.revisionNotFound,
      'Unable to find the revision to rollback to.',
    );
    return clearRollbackTo(s, d);
  }
  if (!equalIgnoreHash(d.spec?.template, target.spec?.template)) {
    setFromReplicaSetTemplate(d, target.spec?.template);
    setDeploymentAnnotationsTo(d, target);
    await clearRollbackTo(s, d);
    void s.o.recorder.event(
      d,
      'Normal',
      rollbackReasons.done,
      `Rolled back deployment "${d.metadata?.name}" to revision ${revision}`,
    );
    return;
  }
  void s.o.recorder.event(
    d,
    'Warning',
    rollbackReasons.templateUnchanged,
    `The rollback revision contains the same template as current deployment "${d.metadata?.name}"`,
  );
  return clearRollbackTo(s, d);
}

/** `updateDeploymentAndClearRollbackTo`: an update of the whole Deployment without the annotation. */
async function clearRollbackTo(s: DeploymentSyncer, d: Deployment): Promise<void> {
  delete d.metadata?.annotations?.[deprecatedRollbackTo];
  await s.o.client.update(d, { kind: Deployment });
}
