/** Every input limit of the user subgraph, in one place (documented in the README). */
export const MAX_NAME_LENGTH = 64;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_SEARCH_LENGTH = 100;
export const MAX_PAGE_SIZE = 50;
export const MAX_ID_TOKEN_LENGTH = 8192;
export const MAX_FACEBOOK_TOKEN_LENGTH = 2048;
export const MAX_REFRESH_TOKEN_LENGTH = 128;

export const EMAIL_CODE_LENGTH = 6;
export const EMAIL_CODE_TTL_SECONDS = 10 * 60;
/** Wrong tries before a code is destroyed. */
export const EMAIL_CODE_MAX_ATTEMPTS = 5;
/**
 * Wrong codes one address may receive per hour, across all its codes and all networks: a new code does not
 * start again. Bounds guessing at 10 in a million per account and hour. Over it, even the right code is
 * RATE_LIMITED until the hour ends, so a stranger needs more than one network to reach it (see below).
 */
export const EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR = 10;
/** Wrong codes for one address from one client network per hour: one network alone never locks the owner out. */
export const EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR = 5;
/**
 * Codes one address may request per hour, across networks: bounds the mail one inbox gets. A stranger's
 * requests spend only their own network's share ({@link EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR}).
 */
export const EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR = 20;
/** Codes one address may request per hour from one client network. */
export const EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR = 5;
/** Codes one client network may request per hour (for any addresses). */
export const EMAIL_CODE_REQUESTS_PER_IP_PER_HOUR = 30;
/** Email-code sign-in attempts (right or wrong) per client address per 10 minutes. */
export const EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES = 60;
/**
 * OIDC and Facebook sign-ins per client address per 10 minutes: their tokens cannot be guessed, so this
 * only stops one address from making the server call providers in a loop. High enough for an office
 * behind one NAT. Refreshing a session is not limited (a 256-bit token cannot be guessed either).
 */
export const PROVIDER_SIGN_INS_PER_IP_PER_10_MINUTES = 300;

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
/**
 * How long a just-exchanged refresh token still answers with the successor it was exchanged for (two tabs
 * refreshing at once, a retried request whose answer was lost), while that successor is unused.
 */
export const REFRESH_REUSE_GRACE_SECONDS = 30;
/** A session ends this long after its sign-in, however often it was refreshed. */
export const SESSION_MAX_LIFETIME_SECONDS = 90 * 24 * 60 * 60;
/** `updateProfile` calls per user per hour, across instances: each one is a `user.updated` event on JetStream. */
export const PROFILE_UPDATES_PER_USER_PER_HOUR = 20;
/** Time allowed to fetch an OIDC discovery document, a JWKS or a Facebook Graph API answer. */
export const PROVIDER_TIMEOUT_MS = 5_000;
/** How long to wait for a just-uploaded avatar to reach this subgraph (`media.image.uploaded`) before it is refused as NOT_FOUND. */
export const KNOWN_AVATAR_WAIT_MS = 3_000;
/** `deleteAccount` works only this soon after signing in (the session's start): a left-open session cannot. */
export const ACCOUNT_DELETION_SIGN_IN_WINDOW_MS = 10 * 60 * 1000;
/** Characters of a push subscription's endpoint URL (browsers' push services use a few hundred). */
export const MAX_PUSH_ENDPOINT_LENGTH = 1024;
/** Browsers (push subscriptions) one person keeps; registering one more forgets their oldest. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 10;
/** `registerPushSubscription`, `unregisterPushSubscription` and `updateNotificationSettings` calls per user per hour. */
export const NOTIFICATION_CHANGES_PER_USER_PER_HOUR = 30;
/** A burst of messages in one chat makes one notification: it goes this long after the burst's first message. */
export const NOTIFICATION_COALESCE_MS = 3_000;
/** By default (NOTIFICATION_EMAIL_DELAY_MS), an email digest goes this long after the first unread message. */
export const NOTIFICATION_EMAIL_DELAY_MS = 15 * 60 * 1000;
/** How long a push service may take to answer one push. */
export const PUSH_TIMEOUT_MS = 5_000;
/** How long a push service keeps a push for a browser that is off (the Web Push TTL header). */
export const PUSH_TTL_SECONDS = 24 * 60 * 60;
