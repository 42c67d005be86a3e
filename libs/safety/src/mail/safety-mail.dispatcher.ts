import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createTransport } from 'nodemailer';
import type { SafetyMailDispatchTuning } from '@helpline/config';
import { renderSafetyRequestNotice, type RenderedSafetyMail, type SafetyMailSettings } from './safety-mail';
import type { SafetyMailOutboxRepository } from './safety-mail-outbox.repository';

/** Sends one e-mail; resolves once the server accepted it. */
export interface SafetyMailSender {
  send(mail: RenderedSafetyMail): Promise<void>;
  close(): void;
}

/** pino's call shape (a pino logger fits, and the API adapts Nest's). */
export interface SafetyMailLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const silent: SafetyMailLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const DEFAULT_SAFETY_MAIL_DISPATCH: Required<SafetyMailDispatchTuning> = {
  intervalMs: 5_000,
  baseBackoffMs: 10_000,
  maxBackoffMs: 15 * 60_000,
  leaseMs: 2 * 60_000,
};

/** How long SMTP may take at most, well inside a lease: a send never outlives the claim it runs under. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** SMTP through nodemailer, at SMTP_URL. A connection per message: nothing is held open between ticks. */
export function smtpSender(smtpUrl: string): SafetyMailSender {
  const transport = createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  return {
    async send(mail) {
      await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
    },
    close: () => transport.close(),
  };
}

/** The wait before the next attempt: doubling from the base at each failed attempt, up to the maximum. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export interface SafetyMailDispatcherOptions {
  readonly outbox: SafetyMailOutboxRepository;
  /** Undefined when SMTP_URL is not set: e-mails then wait in the outbox. */
  readonly sender: SafetyMailSender | undefined;
  readonly settings: SafetyMailSettings;
  readonly tuning?: SafetyMailDispatchTuning;
  readonly logger?: SafetyMailLogger;
  /** Distinct per process; the default is host:pid:random. */
  readonly ownerId?: string;
}

export interface DispatchRound {
  readonly delivered: number;
  readonly failed: number;
}

/**
 * Delivers the safety protocol's e-mails from the outbox (docs/safety-protocol.md): claims one due row at a time
 * with a lease, sends it over SMTP, marks it delivered. A failed send leaves the row pending, due again after an
 * exponential back-off. Runs in the API and in the projector on an interval; any number of dispatchers may run
 * against one database.
 */
export class SafetyMailDispatcher {
  private readonly tuning: Required<SafetyMailDispatchTuning>;
  private readonly logger: SafetyMailLogger;
  private readonly ownerId: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<DispatchRound>;
  private stopped = false;
  private warnedNoSmtp = false;

  constructor(private readonly options: SafetyMailDispatcherOptions) {
    this.tuning = { ...DEFAULT_SAFETY_MAIL_DISPATCH, ...options.tuning };
    this.logger = options.logger ?? silent;
    this.ownerId = options.ownerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

  start(): void {
    this.stopped = false;
    this.timer ??= setInterval(() => void this.runOnce(), this.tuning.intervalMs);
    this.timer.unref();
  }

  /** Stops the interval and waits for the round in flight (its claims are marked before this resolves). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    this.options.sender?.close();
  }

  /** One round: every e-mail due now, one at a time. Overlapping calls share the round in flight. */
  runOnce(): Promise<DispatchRound> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<DispatchRound> {
    const { sender } = this.options;
    if (!sender) {
      if (!this.warnedNoSmtp)
        this.logger.warn({}, 'SMTP_URL is not set: the safety protocol e-mails wait in the outbox');
      this.warnedNoSmtp = true;
      return { delivered: 0, failed: 0 };
    }
    let delivered = 0;
    let failed = 0;
    try {
      while (!this.stopped) {
        const entry = await this.options.outbox.claimNext(this.ownerId, this.tuning.leaseMs);
        if (!entry) break;
        const mail = renderSafetyRequestNotice(entry, this.options.settings);
        try {
          await sender.send(mail);
        } catch (error) {
          failed++;
          const code = errorCode(error);
          const wait = backoffMs(entry.attempts, this.tuning.baseBackoffMs, this.tuning.maxBackoffMs);
          await this.options.outbox.markFailed(entry.id, this.ownerId, wait, code);
          this.logger.warn(
            { outboxId: entry.id, attempts: entry.attempts, code, retryInMs: wait },
            'safety e-mail not delivered; it stays in the outbox',
          );
          continue;
        }
        if (await this.options.outbox.markDelivered(entry.id, this.ownerId, mail.to, mail.messageId)) delivered++;
        else this.logger.error({ outboxId: entry.id }, 'safety e-mail sent after its lease ran out');
      }
    } catch (error) {
      // The database is away (or the service is stopping): the rows keep their state, the next round resumes.
      this.logger.error({ code: errorCode(error) }, 'safety e-mail dispatch round failed');
    }
    if (delivered > 0) this.logger.info({ delivered }, 'safety e-mails delivered');
    return { delivered, failed };
  }
}

/** A code for the outbox and the logs, never the message: SMTP replies can quote addresses. */
function errorCode(error: unknown): string {
  const { code, responseCode, name } = (error ?? {}) as { code?: unknown; responseCode?: unknown; name?: unknown };
  const parts = [
    typeof code === 'string' ? code : typeof name === 'string' ? name : 'Error',
    typeof responseCode === 'number' ? String(responseCode) : undefined,
  ];
  return parts.filter(Boolean).join(':').slice(0, 100);
}
