export * from './formats.js';
export * from './report.js';
export * from './schemas.js';
