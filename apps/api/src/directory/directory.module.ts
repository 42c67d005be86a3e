import { Global, Module } from '@nestjs/common';
import type { Database } from '@helpline/database';
import { DirectoryService } from '@helpline/directory';
import { DATABASE } from '@helpline/runtime';

@Global()
@Module({
  providers: [{ provide: DirectoryService, inject: [DATABASE], useFactory: (database: Database) => DirectoryService.onDatabase(database) }],
  exports: [DirectoryService],
})
export class DirectoryModule {}
