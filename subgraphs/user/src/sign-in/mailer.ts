import nodemailer from 'nodemailer';
import type { Logger } from '@letstalk/log';
import { EMAIL_CODE_TTL_SECONDS } from '../limits.ts';

export type SendSignInCode = (email: string, code: string) => Promise<void>;

/**
 * Sends sign-in codes over SMTP. Without `SMTP_URL` outside production, the code is written to the log
 * so that development needs no mail server; in production the email method is then disabled.
 */
export function createCodeMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  production: boolean;
  log: Logger;
}): SendSignInCode | undefined {
  if (!options.smtpUrl) {
    if (options.production) return undefined;
    return async (email, code) => {
      options.log.info({ email }, `sign-in code for ${email}: ${code} (no SMTP_URL set, so it is logged)`);
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  const minutes = Math.round(EMAIL_CODE_TTL_SECONDS / 60);
  return async (email, code) => {
    await transport.sendMail({
      from: options.from,
      to: email,
      subject: `${code} is your LetsTalk sign-in code`,
      text: `Your LetsTalk sign-in code is ${code}.\n\nIt works once, for ${minutes} minutes. If you did not ask for it, ignore this email.\n`,
    });
  };
}
