import { Global, Module } from '@nestjs/common';
import type { Database } from '@helpline/database';
import { DirectoryService } from '@helpline/directory';
import { DATABASE } from '@helpline/kernel';
import { DirectoryAdminController } from './directory-admin.controller';
import { DirectorySearchController } from './directory-search.controller';
import { DirectoryTransferController } from './directory-transfer.controller';

/** The resource directory: searched by operators, kept, imported and exported by administrators. */
@Global()
@Module({
  controllers: [DirectorySearchController, DirectoryAdminController, DirectoryTransferController],
  providers: [
    {
      provide: DirectoryService,
      inject: [DATABASE],
      useFactory: (database: Database) => DirectoryService.onDatabase(database),
    },
  ],
  exports: [DirectoryService],
})
export class DirectoryModule {}
