/**
 * `resource.Quantity` for the catalogue. The implementation lives in `common/quantity/` (the
 * scheduler and the simulated nodes use it too); this re-export keeps the catalogue's imports.
 */
export * from '../../../common/quantity/index.js';
