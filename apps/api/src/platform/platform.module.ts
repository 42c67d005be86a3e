import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthGuard, TokenVerifier } from '@helpline/auth';
import { Settings, SETTINGS } from '@helpline/config';
import type { Database } from '@helpline/database';
import type { EventStore } from '@helpline/event-store';
import { openEventStore, openMigratedDatabase } from '@helpline/composition';
import { HttpErrorFilter } from '../common/http-error.filter';
import { DATABASE, EVENT_STORE } from '@helpline/kernel';

export interface PlatformOptions {
  settings: Settings;
  /** An already open and migrated database (tests); otherwise opened from the settings and migrated at start-up. */
  database?: Database;
}

/** Settings, database, event store and identity: what every capability module stands on. */
@Global()
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject('OWNS_DATABASE') private readonly ownsDatabase: boolean,
  ) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: SETTINGS, useValue: options.settings },
        { provide: 'OWNS_DATABASE', useValue: options.database === undefined },
        {
          provide: DATABASE,
          useFactory: async () => options.database ?? openMigratedDatabase(options.settings, 'helpline-api'),
        },
        {
          provide: EVENT_STORE,
          inject: [DATABASE],
          useFactory: (database: Database) => openEventStore(options.settings, database),
        },
        { provide: TokenVerifier, useFactory: () => new TokenVerifier(options.settings.auth) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
      exports: [SETTINGS, DATABASE, EVENT_STORE, TokenVerifier],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
    if (this.ownsDatabase) await this.database.close();
  }
}
