export * from './address-policy.ts';
export * from './dns-resolver.ts';
export * from './safe-fetch.ts';
