import { envSpec, flag, loadConfig, subgraphEnv, z } from '@letstalk/config';
import { NOTIFICATION_EMAIL_DELAY_MS } from './limits.ts';
import { pushEnv } from './notifications/push-env.ts';

const oidcProvider = z.object({
  name: z.string().regex(/^[a-z0-9-]{1,32}$/, 'provider names are lower-case letters, digits and -'),
  issuer: z.url(),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
});

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const shape = {
  ...subgraphEnv('USER', 4001),
  /** PKCS#8 PEM of the ES256 key that signs access tokens; generated under DATA_DIR in development. */
  AUTH_PRIVATE_KEY: z.string().optional(),
  AUTH_OIDC_PROVIDERS: json(z.array(oidcProvider)),
  AUTH_ALLOW_INSECURE_ISSUERS: flag(false),
  FACEBOOK_APP_ID: z.string().optional(),
  FACEBOOK_APP_SECRET: z.string().optional(),
  FACEBOOK_GRAPH_URL: z.url().default('https://graph.facebook.com/v19.0'),
  SMTP_URL: z.string().optional(),
  SMTP_FROM: z.string().default('LetsTalk <no-reply@letstalk.invalid>'),
  ...pushEnv,
  /** How long after the first unread message an email digest goes to someone without a browser for push. */
  /**
   * Whether this instance runs the notification worker (true by default). Instances that run it share its work;
   * an operator may run it on some only.
   */
  NOTIFIER_ENABLED: flag(true),
  NOTIFICATION_EMAIL_DELAY_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(7 * 86_400_000)
    .default(NOTIFICATION_EMAIL_DELAY_MS),
};

const requiredInProduction = {
  DATABASE_URL: 'mysql://user:password@host:3306',
  AUTH_PRIVATE_KEY: 'a PKCS#8 PEM of an ES256 key: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256',
};

/** What the user subgraph reads (docker-compose.yml passes it exactly these). */
export const userEnvSpec = envSpec(shape, requiredInProduction);

export type UserEnv = ReturnType<typeof loadUserEnv>;

/** Every variable the user subgraph reads, validated at boot. */
export function loadUserEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('user subgraph', shape, env, { requiredInProduction, check: signInProblems });
}

function signInProblems(config: z.infer<z.ZodObject<typeof shape>>): string[] {
  const problems: string[] = [];
  for (const provider of config.AUTH_OIDC_PROVIDERS) {
    if (provider.issuer.startsWith('http://') && !config.AUTH_ALLOW_INSECURE_ISSUERS) {
      problems.push(
        `AUTH_OIDC_PROVIDERS: issuer ${provider.issuer} of "${provider.name}" is http://; use https:// or set AUTH_ALLOW_INSECURE_ISSUERS=true (local testing only)`,
      );
    }
  }
  if (new Set(config.AUTH_OIDC_PROVIDERS.map((provider) => provider.name)).size !== config.AUTH_OIDC_PROVIDERS.length) {
    problems.push('AUTH_OIDC_PROVIDERS: provider names must be unique');
  }
  if (Boolean(config.PUSH_VAPID_PUBLIC_KEY) !== Boolean(config.PUSH_VAPID_PRIVATE_KEY)) {
    problems.push('PUSH_VAPID_PUBLIC_KEY and PUSH_VAPID_PRIVATE_KEY: set both or neither');
  }
  if (config.NODE_ENV === 'production' && config.PUSH_ALLOW_HOSTS.length > 0) {
    problems.push('PUSH_ALLOW_HOSTS: for tests only; production posts to public push services alone');
  }
  if (Boolean(config.FACEBOOK_APP_ID) !== Boolean(config.FACEBOOK_APP_SECRET)) {
    problems.push('FACEBOOK_APP_ID and FACEBOOK_APP_SECRET: set both or neither');
  }
  return problems;
}

/**
 * The ways people can sign in with this configuration: email codes (over SMTP; outside production, codes
 * are logged without it), each OIDC provider, Facebook. Production with none of them lets nobody in.
 */
export function signInMethods(config: UserEnv): string[] {
  return [
    ...(config.SMTP_URL || config.NODE_ENV !== 'production' ? ['email'] : []),
    ...config.AUTH_OIDC_PROVIDERS.map((provider) => provider.name),
    ...(config.FACEBOOK_APP_ID ? ['facebook'] : []),
  ];
}
