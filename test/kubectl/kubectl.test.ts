/** kubectl 1.27–1.33 against kuberx over both storage backends. */
import { jest } from '@jest/globals';
import { describeBackends } from '../apiserver/backends.js';
import { kubectlSuite } from './kubectl.suite.js';

jest.setTimeout(120_000);

describeBackends(kubectlSuite);
