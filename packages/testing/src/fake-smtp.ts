import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { listenOnLoopback, sendJson } from './http.ts';

interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps every mail, plus an HTTP endpoint
 * (`GET /messages?to=address`) so tests in other processes can read them.
 */
export async function startFakeSmtp() {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          for (const recipient of session.envelope.rcptTo) {
            mails.push({ to: recipient.address.toLowerCase(), subject: parsed.subject ?? '', text: parsed.text ?? '' });
          }
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  const control = await listenOnLoopback((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const to = (url.searchParams.get('to') ?? '').toLowerCase();
    sendJson(
      res,
      200,
      mails.filter((mail) => mail.to === to),
    );
  });
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    inboxUrl: control.url,
    close: async () => {
      await control.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

/** Waits for the newest sign-in code mailed to `email` (newer than `after` codes already seen). */
export async function waitForCode(inboxUrl: string, email: string, seen = 0, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mails = (await (await fetch(`${inboxUrl}/messages?to=${encodeURIComponent(email)}`)).json()) as Mail[];
    if (mails.length > seen) {
      const code = /\b(\d{6})\b/.exec(mails.at(-1)?.text ?? '')?.[1];
      if (code) return code;
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error(`No sign-in code reached ${email} within ${timeoutMs} ms`);
}

export async function countMails(inboxUrl: string, email: string): Promise<number> {
  return ((await (await fetch(`${inboxUrl}/messages?to=${encodeURIComponent(email)}`)).json()) as Mail[]).length;
}
