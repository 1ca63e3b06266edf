/**
 * ControllerRevision history names (`pkg/controller/history/controller_history.go`).
 */

/** Label on a ControllerRevision carrying the hash of its data (`ControllerRevisionHashLabel`). */
export const controllerRevisionHashLabel = 'controller.kubernetes.io/hash';

/**
 * A revision is named `<parent>-<hash>`; the parent name is cut to this many characters first so
 * the name stays a valid DNS subdomain (253 minus room for the hash).
 */
export const maxRevisionNamePrefixLength = 223;

/** Attempts of a Revision number update, re-reading on conflict (`retry.DefaultBackoff` steps). */
export const revisionUpdateAttempts = 5;
