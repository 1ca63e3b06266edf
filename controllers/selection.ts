/**
 * `--controllers` and `--concurrent-…-syncs` as upstream reads them
 * (`cmd/kube-controller-manager/app` `IsControllerEnabled`, `KubeControllerManagerOptions.Validate`):
 *
 * - The list is comma separated. `name` enables a controller, `-name` disables it, `*` enables
 *   every controller that is not disabled by default. The first entry naming a controller wins;
 *   without `*`, only named controllers run.
 * - Names may be upstream aliases (`deployment-controller` for `deployment`).
 * - An unknown name is an error: `"x" is not in the list of known controllers`.
 */
import type { ControllerDescriptor } from './registry.js';

/** The descriptor `name` (or one of its aliases) refers to. */
export function findController(
  descriptors: readonly ControllerDescriptor[],
  name: string,
): ControllerDescriptor | undefined {
  return descriptors.find((d) => d.name === name || (d.aliases ?? []).includes(name));
}

/** Splits `'*,-job'` into entries, dropping blanks. */
export function parseControllerList(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Throws for an entry naming no known controller. */
export function validateControllerList(
  descriptors: readonly ControllerDescriptor[],
  entries: readonly string[],
): void {
  for (const entry of entries) {
    if (entry === '*') continue;
    const name = entry.startsWith('-') ? entry.slice(1) : entry;
    if (!findController(descriptors, name)) {
      throw new Error(`${JSON.stringify(name)} is not in the list of known controllers`);
    }
  }
}

/** Upstream `IsControllerEnabled`, aliases resolved. */
export function isControllerEnabled(
  descriptor: ControllerDescriptor,
  entries: readonly string[],
): boolean {
  const names = new Set([descriptor.name, ...(descriptor.aliases ?? [])]);
  let star = false;
  for (const entry of entries) {
    if (names.has(entry)) return true;
    if (entry.startsWith('-') && names.has(entry.slice(1))) return false;
    if (entry === '*') star = true;
  }
  return star && !descriptor.disabledByDefault;
}

/** The enabled descriptors, in registry order; validates the list first. */
export function enabledControllers(
  descriptors: readonly ControllerDescriptor[],
  list: string,
): ControllerDescriptor[] {
  const entries = parseControllerList(list);
  validateControllerList(descriptors, entries);
  return descriptors.filter((d) => isControllerEnabled(d, entries));
}

/** `concurrent-<name>-syncs`: the generic worker flag every controller with workers accepts. */
export function genericConcurrencyFlag(descriptor: ControllerDescriptor): string {
  return `concurrent-${descriptor.name}-syncs`;
}
