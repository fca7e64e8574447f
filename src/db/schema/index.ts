export * from './customers.js';
export * from './catalog.js';
export * from './orders.js';
export * from './system.js';
export * from './sop.js';
