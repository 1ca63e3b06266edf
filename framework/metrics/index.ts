/** Prometheus metrics of the framework (prom-client), with client-go and controller-runtime names. */
export * from './metrics.js';
