export * from './cidr.js';
export * from './evaluate.js';
export * from './policy-authorizer.js';
export * from './policy-cache.js';
export * from './policy-schema.js';
export * from './wildcard.js';
