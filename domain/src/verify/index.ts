export * from './checks.js';
export * from './verdict.js';
export * from './port.js';
export * from './bundle.js';
export * from './document-schema.js';
export * from './document-jws.js';
export * from './signature-algorithms.js';
export * from './verify.js';
