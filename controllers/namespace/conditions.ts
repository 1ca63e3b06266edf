/**
 * The deletion conditions of a Namespace (upstream `namespace/deletion/status_condition_utils.go`):
 * five condition types, each either failing (`True`, with the reason) or in its "ok" state
 * (`False`, with the upstream ok reason and message). `lastTransitionTime` changes only when the
 * status does.
 */
import type { Namespace } from '../../framework/index.js';

export type NamespaceCondition = NonNullable<
  NonNullable<Namespace['status']>['conditions']
>[number];

export const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

export type NamespaceConditionType = (typeof conditionTypes)[number];

const okMessages: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure:
    'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
};

const okReasons: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
};

/** What is left in a namespace after one pass. */
export interface ContentTotals {
  /** `resource.group` → instances remaining. */
  remainingByResource: Map<string, number>;
  /** finalizer → instances carrying it. */
  remainingByFinalizer: Map<string, number>;
}

/** Collects failures of one pass, then writes them as conditions (upstream `namespaceConditionUpdater`). */
export class NamespaceConditionUpdater {
  private readonly conditions: NamespaceCondition[] = [];

  constructor(private readonly now: () => string) {}

  private fail(type: NamespaceConditionType, reason: string, message: string): void {
    this.conditions.push({ type, status: 'True', lastTransitionTime: this.now(), reason, message });
  }

  processDiscoveryError(message: string): void {
    this.fail('NamespaceDeletionDiscoveryFailure', 'DiscoveryFailed', message);
  }

  processGroupVersionError(message: string): void {
    this.fail('NamespaceDeletionGroupVersionParsingFailure', 'GroupVersionParsingFailed', message);
  }

  /** Upstream `makeDeleteContentCondition`. */
  processDeleteContentErrors(messages: readonly string[]): void {
    if (messages.length === 0) return;
    this.fail(
      'NamespaceDeletionContentFailure',
      'ContentDeletionFailed',
      `Failed to delete all resource types, ${messages.length} remaining: ${[...messages].sort().join(', ')}`,
    );
  }

  processContentTotals(totals: ContentTotals): void {
    const resources = [...totals.remainingByResource]
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${r} has ${n} resource instances`)
      .sort();
    if (resources.length > 0) {
      this.fail(
        'NamespaceContentRemaining',
        'SomeResourcesRemain',
        `Some resources are remaining: ${resources.join(', ')}`,
      );
    }
    const finalizers = [...totals.remainingByFinalizer]
      .filter(([, n]) => n > 0)
      .map(([f, n]) => `${f} in ${n} resource instances`)
      .sort();
    if (finalizers.length > 0) {
      this.fail(
        'NamespaceFinalizersRemaining',
        'SomeFinalizersRemain',
        `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`,
      );
    }
  }

  /** Writes the conditions into `status` (upstream `updateConditions`); true when anything changed. */
  update(status: NonNullable<Namespace['status']>): boolean {
    const conditions = (status.conditions ??= []);
    let changed = false;
    for (const type of conditionTypes) {
      const wanted = this.conditions.find((c) => c.type === type) ?? {
        type,
        status: 'False',
        lastTransitionTime: this.now(),
        reason: okReasons[type],
        message: okMessages[type],
      };
      const old = conditions.find((c) => c.type === type);
      if (!old) {
        conditions.push(wanted);
        changed = true;
      } else if (
        old.status !== wanted.status ||
        old.message !== wanted.message ||
        old.reason !== wanted.reason
      ) {
        if (old.status !== wanted.status) old.lastTransitionTime = this.now();
        old.status = wanted.status;
        old.reason = wanted.reason;
        old.message = wanted.message;
        changed = true;
      }
    }
    return changed;
  }
}
