export * from './enums.js';
export * from './time.js';
export * from './fields.js';
export * from './inputs.js';
export * from './parse.js';
export * from './events.js';
export * from './records.js';
export * from './validity.js';
