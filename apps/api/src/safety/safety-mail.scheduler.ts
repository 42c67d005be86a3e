import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SETTINGS, type Settings } from '@helpline/config';
import type { Database } from '@helpline/database';
import { DATABASE } from '@helpline/kernel';
import { createSafetyMailDispatcher, type SafetyMailDispatcher } from '@helpline/safety';

/** Delivers the safety protocol's e-mails from the outbox on an interval, inside the API (the projector runs one too). */
@Injectable()
export class SafetyMailScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly dispatcher: SafetyMailDispatcher;

  constructor(@Inject(DATABASE) database: Database, @Inject(SETTINGS) settings: Settings) {
    const logger = new Logger('SafetyMail');
    this.dispatcher = createSafetyMailDispatcher({
      database,
      settings,
      logger: {
        info: (f, m) => logger.log(f, m),
        warn: (f, m) => logger.warn(f, m),
        error: (f, m) => logger.error(f, m),
      },
    });
  }

  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.stop();
  }
}
