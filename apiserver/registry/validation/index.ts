/**
 * Reusable validation helpers with upstream's messages: field errors, name formats, object
 * metadata, labels and label selectors.
 */
export * from './field.js';
export * from './names.js';
export * from './objectmeta.js';
export * from './selector.js';
