export * from './customers.js';
export * from './catalog.js';
export * from './orders.js';
export * from './system.js';
export * from './changes.js';
export * from './actions.js';
export * from './inbox.js';
export * from './sop.js';
