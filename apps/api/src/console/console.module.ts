import { Controller, DynamicModule, Get, Module, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ServeStaticModule } from '@nestjs/serve-static';
import { Public } from '@helpline/auth';

/** Where the console lives: its pages are client routes under this path, so none collides with an API route. */
export const CONSOLE_PATH = '/console';

@ApiExcludeController()
@Controller()
@Public()
class ConsoleEntryController {
  @Get()
  @Redirect(`${CONSOLE_PATH}/`, 302)
  openConsole(): void {}
}

/**
 * Serves the built console (apps/console, built by scripts/build.cjs into dist/console) at /console/, every path
 * under it answering the console's index.html so that a reloaded page opens where it was; `/` leads there.
 */
@Module({})
export class ConsoleModule {
  static forRoot(consoleDir: string): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [ServeStaticModule.forRoot({ rootPath: consoleDir, serveRoot: CONSOLE_PATH })],
      controllers: [ConsoleEntryController],
    };
  }
}
