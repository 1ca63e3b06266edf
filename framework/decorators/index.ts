/** Decorators for controllers and custom resources, compiled down to the controller builder. */
export * from './decorators.js';
export * from './register.js';
export type { ControllerSpec, RequeueSpec } from './metadata.js';
