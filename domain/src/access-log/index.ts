export * from './formats.js';
export * from './report.js';
