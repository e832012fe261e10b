import nodemailer from 'nodemailer';
import { PermanentError, TransientError } from '../core/upstream.ts';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string; response: string }>;
}

/** SMTP through nodemailer with bounded timeouts; 5xx replies are permanent, everything else worth a retry. */
export function createSmtpSender(smtpUrl: string, timeoutMs = 10_000): MailSender {
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs } as never);
  return {
    async send(mail) {
      try {
        // Plain text only: nothing a prospect typed can become markup or a link we rendered.
        const info = await transport.sendMail({ ...mail, textEncoding: 'quoted-printable' });
        return { messageId: String(info.messageId ?? mail.messageId), response: String(info.response ?? '') };
      } catch (err) {
        const e = err as { responseCode?: number; permanent?: boolean; message?: string; code?: string };
        const detail = `smtp: ${e.responseCode ?? e.code ?? 'error'} ${(e.message ?? '').slice(0, 200)}`.trim();
        if (e.permanent || (e.responseCode !== undefined && e.responseCode >= 500)) throw new PermanentError(detail, { cause: err });
        throw new TransientError(detail, undefined, { cause: err });
      }
    },
  };
}
