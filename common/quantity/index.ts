/** `resource.Quantity` for kuberx: parsing, exact arithmetic, canonical form, resource lists. */
export * from './quantity.js';
export * from './resourcelist.js';
