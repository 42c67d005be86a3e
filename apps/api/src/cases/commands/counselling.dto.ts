import {
  FrameRequest,
  GiveLegalAdvice,
  GOAL_KINDS,
  LEGAL_ADVICE_TOPICS,
  PROBLEM_CATEGORIES,
  ReframeProblem,
  REQUEST_CATEGORIES,
  SetGoal,
} from '@helpline/domain';
import { ListOf, OneOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

const sealIfGiven = (building: CommandBuilding, field: string, text: string | undefined) =>
  text === undefined ? undefined : building.seal(field, text);

/** The manifest request: what the caller asks for. */
export class FrameRequestDto extends CaseCommandBody {
  @ListOf(REQUEST_CATEGORIES, ['information_on_services', 'support_for_a_relative'])
  categories!: Array<(typeof REQUEST_CATEGORIES)[number]>;

  @PersonalText('Calls about her son, 19, who uses cocaine at weekends.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<FrameRequest> {
    return {
      type: 'FrameRequest',
      caseId,
      occurredAt: building.occurredAt,
      categories: this.categories,
      note: await sealIfGiven(building, 'note', this.note),
    };
  }
}

/** The "real problem" behind the request. */
export class ReframeProblemDto extends CaseCommandBody {
  @ListOf(PROBLEM_CATEGORIES, ['relative_addiction', 'family_relationships'])
  categories!: Array<(typeof PROBLEM_CATEGORIES)[number]>;

  @PersonalText('The conflict at home is what she wants help with first.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<ReframeProblem> {
    return {
      type: 'ReframeProblem',
      caseId,
      occurredAt: building.occurredAt,
      categories: this.categories,
      note: await sealIfGiven(building, 'note', this.note),
    };
  }
}

export class SetGoalDto extends CaseCommandBody {
  @OneOf(GOAL_KINDS, 'contact_a_service')
  goalKind!: (typeof GOAL_KINDS)[number];

  @PersonalText('Book a first meeting at the SerD for the family.')
  description?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<SetGoal> {
    return {
      type: 'SetGoal',
      caseId,
      occurredAt: building.occurredAt,
      goalKind: this.goalKind,
      description: await sealIfGiven(building, 'description', this.description),
    };
  }
}

export class GiveLegalAdviceDto extends CaseCommandBody {
  @OneOf(LEGAL_ADVICE_TOPICS, 'drug_law_sanctions')
  topic!: (typeof LEGAL_ADVICE_TOPICS)[number];

  @PersonalText('Explained the administrative sanctions for personal use.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<GiveLegalAdvice> {
    return {
      type: 'GiveLegalAdvice',
      caseId,
      occurredAt: building.occurredAt,
      topic: this.topic,
      note: await sealIfGiven(building, 'note', this.note),
    };
  }
}
