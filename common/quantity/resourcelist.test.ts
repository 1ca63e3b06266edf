import {
  addResources,
  exceededResources,
  formatResources,
  parseResourceList,
  subtractResources,
} from './resourcelist.js';

describe('resource lists', () => {
  test('parsing keeps valid quantities and reports the invalid ones with upstream messages', () => {
    const { resources, errors } = parseResourceList({
      cpu: '500m',
      memory: '1Gi',
      'nvidia.com/gpu': 2,
      bad: '1GB',
    });
    expect(formatResources(resources)).toEqual({
      cpu: '500m',
      memory: '1Gi',
      'nvidia.com/gpu': '2',
    });
    expect(errors).toEqual({
      bad: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    });
  });

  test('sums and differences are exact and per resource', () => {
    const a = parseResourceList({ cpu: '250m', memory: '512Mi' }).resources;
    const b = parseResourceList({ cpu: '1', memory: '512Mi', pods: '1' }).resources;
    expect(formatResources(addResources(a, b))).toEqual({ cpu: '1250m', memory: '1Gi', pods: '1' });
    expect(formatResources(subtractResources(b, a))).toEqual({
      cpu: '750m',
      memory: '0',
      pods: '1',
    });
  });

  test('exceeded resources are those above the limit, sorted', () => {
    const usage = parseResourceList({ cpu: '2', memory: '1Gi', pods: '3' }).resources;
    const limit = parseResourceList({ cpu: '1500m', memory: '2Gi', pods: '2' }).resources;
    expect(exceededResources(usage, limit)).toEqual(['cpu', 'pods']);
  });
});
