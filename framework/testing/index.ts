/**
 * Test helpers of the framework (a separate entry from `framework/index.ts`, because it loads the
 * API server):
 *
 * - {@link startTestEnv}: kuberx's API server in-process with an in-memory store — envtest without
 *   binaries — with a kubeconfig, clients and a manager factory.
 * - {@link FakeInformer} / {@link FakeInformerProvider}: informers fed by hand, for controller
 *   unit tests without HTTP.
 * - {@link ScriptedServer}: a wire-level fake for failure paths (410, 429, dropped or hung streams).
 * - Time: {@link FakeClock} (step/advance) and RxJS's `TestScheduler`, so tests never sleep.
 */
export { startTestEnv, type TestEnv, type TestEnvOptions } from './env.js';
export { installCRDs } from './crds.js';
export { FakeInformer, FakeInformerProvider } from './fake-informer.js';
export {
  ScriptedServer,
  sendJson,
  sendStatus,
  type Handler,
  type RecordedRequest,
  type WatchStream,
} from './scripted-server.js';
export { FakeClock, flushPromises } from '../../common/index.js';
export { TestScheduler } from 'rxjs/testing';
export { eventually } from './eventually.js';
