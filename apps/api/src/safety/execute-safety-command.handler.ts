import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SafetyCommandExecutor, type SafetyEmergencyResult, type SafetyRequestResult } from '@helpline/safety';
import { ExecuteSafetyCommand } from './execute-safety-command.command';

@CommandHandler(ExecuteSafetyCommand)
export class ExecuteSafetyCommandHandler implements ICommandHandler<
  ExecuteSafetyCommand,
  SafetyRequestResult | SafetyEmergencyResult
> {
  constructor(private readonly executor: SafetyCommandExecutor) {}

  execute({ target }: ExecuteSafetyCommand): Promise<SafetyRequestResult | SafetyEmergencyResult> {
    switch (target.kind) {
      case 'request':
        return this.executor.executeRequestCommand(target.request);
      case 'meeting-outcome':
        return this.executor.recordMeetingOutcome(target.request);
      case 'emergency':
        return this.executor.executeEmergencyCommand(target.request);
    }
  }
}
