import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Set for a message kept by `holdNext`: true while the answer to its DATA is held back, false after. */
  held?: boolean;
}

/**
 * A real SMTP server on 127.0.0.1 (no TLS, no auth) that keeps what it receives; can reject the next messages with a code,
 * or keep the next message and hold its answer to DATA (the mail is delivered; the client has not heard so).
 */
export class SmtpFake {
  readonly received: ReceivedMail[] = [];
  private rejects: Array<{ code: number; message: string }> = [];
  private holds: number[] = [];
  private server: SMTPServer;

  constructor() {
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const reject = this.rejects.shift();
          if (reject) {
            const err = Object.assign(new Error(reject.message), { responseCode: reject.code });
            return callback(err);
          }
          const mail: ReceivedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          };
          this.received.push(mail);
          const hold = this.holds.shift();
          if (hold === undefined) return callback();
          mail.held = true;
          setTimeout(() => {
            mail.held = false;
            callback();
          }, hold).unref();
        });
      },
    });
    // A client killed mid-session (the crash rounds kill the server) resets its connection: expected, not a failure.
    this.server.on('error', () => undefined);
  }

  rejectNext(code: number, message = 'rejected by fake'): void {
    this.rejects.push({ code, message });
  }

  /** Keeps the next message, then answers its DATA only after `ms`. */
  holdNext(ms: number): void {
    this.holds.push(ms);
  }

  /** Drops holds not yet used. */
  clearHolds(): void {
    this.holds = [];
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
