import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseCommandExecutor, CaseCommandResult } from '@helpline/cases';
import { ExecuteCaseCommand } from './execute-case-command.command';

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand, CaseCommandResult> {
  constructor(private readonly executor: CaseCommandExecutor) {}

  execute(command: ExecuteCaseCommand): Promise<CaseCommandResult> {
    return this.executor.execute(command.request);
  }
}
