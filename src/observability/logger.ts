import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; secrets are redacted by path so a stray object can never print a token. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'lead-triage' },
      redact: {
        paths: ['*.token', '*.botToken', '*.appToken', '*.apiKey', '*.accessToken', '*.signingSecret', '*.secret', '*.password', 'headers.authorization', '*.headers.authorization', 'config.webhookSecrets'],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}

/** For tests and CLI commands that must print nothing but their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
