export * from './fake-facebook.ts';
export * from './fake-oidc.ts';
export * from './fake-smtp.ts';
export * from './http.ts';
export * from './services.ts';
export * from './fake-token-issuer.ts';
export * from './fake-s3.ts';
export * from './test-images.ts';
