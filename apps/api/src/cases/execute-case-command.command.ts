import { Command } from '@nestjs/cqrs';
import type { CaseCommandRequest, CaseCommandResult } from '@helpline/cases';

/** Every case command travels the bus as one of these: the request names the case, the context and how to build it. */
export class ExecuteCaseCommand extends Command<CaseCommandResult> {
  constructor(readonly request: CaseCommandRequest) {
    super();
  }
}
