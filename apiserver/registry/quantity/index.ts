/** `resource.Quantity` for kuberx: parsing, exact arithmetic, canonical form. */
export * from './quantity.js';
