/**
 * ControllerRevision history shared by the DaemonSet and StatefulSet controllers
 * (`pkg/controller/history`): revisions as values (`revision.ts`), the history against the server
 * (`history.ts`) and the pod-template patch both controllers store as revision data
 * (`templatepatch.ts`). Adoption and release of revisions go through `util`'s `claimChildren`.
 */
export * from './defaults.js';
export * from './revision.js';
export * from './history.js';
export * from './templatepatch.js';
