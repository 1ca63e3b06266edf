/** @kubernetes/client-node against kuberx over both storage backends. */
import { jest } from '@jest/globals';
import { describeBackends } from '../apiserver/backends.js';
import { clientNodeSuite } from './client-node.suite.js';

jest.setTimeout(60_000);

describeBackends(clientNodeSuite);
