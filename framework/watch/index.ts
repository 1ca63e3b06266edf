/**
 * List and watch of our own: paged lists, long-lived watches with bookmarks and jittered timeouts,
 * relist on 410, streaming lists with fallback, and backoff that never gives up — as an RxJS stream
 * of explicit init/initApply/initDone/apply/delete events.
 */
export * from './defaults.js';
export * from './backoff.js';
export * from './decoder.js';
export * from './listwatch.js';
export * from './stream.js';
export * from './watcher.js';
