import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * What an operator puts in `.env` for docker compose (the REQUIRED values of .env.example), made up for
 * one test run. The databases are the run's own, so the compose-shaped stack shares nothing with the
 * end-to-end stack beside it.
 */
export const PRODUCTION_SETTINGS: Record<string, string> = {
  MYSQL_ROOT_PASSWORD: randomBytes(12).toString('hex'),
  AUTH_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()
    .replace(/\n/g, '\\n'),
  MEDIA_URL_SECRET: randomBytes(32).toString('base64url'),
  MEDIA_PUBLIC_URL: 'https://chat.example.test',
  USER_DATABASE: 'letstalk_compose_user',
  MESSAGE_DATABASE: 'letstalk_compose_message',
  MEDIA_DATABASE: 'letstalk_compose_media',
  PREVIEW_DATABASE: 'letstalk_compose_preview',
};
