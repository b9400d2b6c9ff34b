export { onScrape } from './registry.ts';
export * from './exposure.ts';
export { INTERNAL_OPERATION_PREFIX, INVALID_OPERATION_LABEL, operationLabel, operationNameCap } from './labels.ts';
export * from './requests.ts';
export * from './live.ts';
export * from './events.ts';
export * from './resources.ts';
