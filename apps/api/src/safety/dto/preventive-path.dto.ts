import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsIn, IsInt, IsISO8601, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import {
  INCIDENT_KINDS,
  MEETING_OUTCOMES,
  POLICE_DECLINE_REASONS,
  SAFETY_REQUEST_CANCELLATION_REASONS,
  SAFETY_RISK_LEVELS,
  type SafetyRequestCommand,
} from '@helpline/domain';
import type { SafetyRequestState } from '@helpline/domain';
import type { IncidentReport, SafetyCommandBuilding } from '@helpline/safety';
import { Instant, OneOf, OptionalInstant, OptionalOneOf } from '../../common/dto-decorators';
import { OptionalPersonalText, RequiredPersonalText, SafetyCommandBody } from '../safety-command.body';

type Building = SafetyCommandBuilding<SafetyRequestState>;
const MEETING_AT = '2026-12-01T10:00:00+01:00';

/** A unit drafts a request for police presence at a meeting it judges risky. */
export class DraftSafetyRequestDto extends SafetyCommandBody {
  @Instant(MEETING_AT, 'When the meeting takes place')
  meetingAt!: string;

  @RequiredPersonalText('Via Esempio 1, Milano', 'Where the meeting takes place.', 500)
  address!: string;

  @RequiredPersonalText(
    'Cognome Nome, nato il 01/01/1970',
    "The service user's identifying data (dati anagrafici).",
    2000,
  )
  serviceUser!: string;

  @RequiredPersonalText(
    'Threatened the worker at the previous meeting.',
    'A short description of the facts the police need to judge the request.',
  )
  factsSummary!: string;

  @OneOf(SAFETY_RISK_LEVELS, 'high')
  risk!: (typeof SAFETY_RISK_LEVELS)[number];

  async toCommand(requestId: string, unitId: string, b: Building): Promise<SafetyRequestCommand> {
    return {
      type: 'DraftSafetyRequest',
      requestId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      unitId,
      meetingAt: this.meetingAt,
      address: await b.seal('address', this.address),
      serviceUser: await b.seal('serviceUser', this.serviceUser),
      factsSummary: await b.seal('factsSummary', this.factsSummary),
      risk: this.risk,
    };
  }
}

/** Changes to a draft: only the fields given. */
export class EditSafetyRequestDraftDto extends SafetyCommandBody {
  @OptionalInstant('When the meeting takes place')
  meetingAt?: string;

  @OptionalPersonalText('Via Esempio 2, Milano', 'Where the meeting takes place.', 500)
  address?: string;

  @OptionalPersonalText('Cognome Nome, nato il 01/01/1970', "The service user's identifying data.", 2000)
  serviceUser?: string;

  @OptionalPersonalText('Also threatened a colleague by phone.', 'The facts.')
  factsSummary?: string;

  @OptionalOneOf(SAFETY_RISK_LEVELS, 'moderate')
  risk?: (typeof SAFETY_RISK_LEVELS)[number];

  async toCommand(requestId: string, b: Building): Promise<SafetyRequestCommand> {
    const seal = (field: 'address' | 'serviceUser' | 'factsSummary') =>
      this[field] === undefined ? undefined : b.seal(field, this[field]);
    return {
      type: 'EditSafetyRequestDraft',
      requestId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      ...(this.meetingAt === undefined ? {} : { meetingAt: this.meetingAt }),
      ...(this.address === undefined ? {} : { address: await seal('address') }),
      ...(this.serviceUser === undefined ? {} : { serviceUser: await seal('serviceUser') }),
      ...(this.factsSummary === undefined ? {} : { factsSummary: await seal('factsSummary') }),
      ...(this.risk === undefined ? {} : { risk: this.risk }),
    };
  }
}

/** The unit officer sends the request: the police command and the area director are notified by e-mail. */
export class SendSafetyRequestDto extends SafetyCommandBody {
  toCommand(requestId: string, noticeHours: number, b: Building): SafetyRequestCommand {
    return { type: 'SendSafetyRequest', requestId, occurredAt: b.occurredAt, actor: b.actor, noticeHours };
  }
}

export class AcknowledgeSafetyRequestDto extends SafetyCommandBody {
  toCommand(requestId: string, b: Building): SafetyRequestCommand {
    return { type: 'AcknowledgeSafetyRequest', requestId, occurredAt: b.occurredAt, actor: b.actor };
  }
}

export class RequestMoreInformationDto extends SafetyCommandBody {
  @RequiredPersonalText(
    'Has the service user a history of violence known to the police?',
    'What the police need to know.',
  )
  question!: string;

  async toCommand(requestId: string, b: Building): Promise<SafetyRequestCommand> {
    return {
      type: 'RequestMoreInformation',
      requestId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      question: await b.seal('question', this.question),
    };
  }
}

export class ProvideMoreInformationDto extends SafetyCommandBody {
  @RequiredPersonalText('Two reports in 2025, both for threats.', "The unit's answer.")
  information!: string;

  async toCommand(requestId: string, b: Building): Promise<SafetyRequestCommand> {
    return {
      type: 'ProvideMoreInformation',
      requestId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      information: await b.seal('information', this.information),
    };
  }
}

export class ConfirmPolicePresenceDto extends SafetyCommandBody {
  @ApiProperty({ example: 2, description: 'How many officers will be present' })
  @IsInt()
  @Min(1)
  @Max(50)
  officers!: number;

  @Instant('2026-12-01T09:45:00+01:00', 'From when they will be there')
  presentFrom!: string;

  toCommand(requestId: string, b: Building): SafetyRequestCommand {
    return {
      type: 'ConfirmPolicePresence',
      requestId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      officers: this.officers,
      presentFrom: this.presentFrom,
    };
  }
}

export class DeclinePolicePresenceDto extends SafetyCommandBody {
  @OneOf(POLICE_DECLINE_REASONS, 'no_officers_available')
  reason!: (typeof POLICE_DECLINE_REASONS)[number];

  toCommand(requestId: string, b: Building): SafetyRequestCommand {
    return { type: 'DeclinePolicePresence', requestId, occurredAt: b.occurredAt, actor: b.actor, reason: this.reason };
  }
}

/**
 * How the meeting went. With an incident, the emergency record is opened at the same time: give when the event
 * began and whether colleagues were called (and, if known, when the operations centre was phoned and where it
 * happened, when not at the meeting's address).
 */
export class RecordMeetingOutcomeDto extends SafetyCommandBody {
  @OneOf(MEETING_OUTCOMES, 'incident')
  outcome!: (typeof MEETING_OUTCOMES)[number];

  @ApiPropertyOptional({
    enum: [...INCIDENT_KINDS],
    example: 'verbal_aggression',
    description: 'Required with an incident',
  })
  @ValidateIf((dto: RecordMeetingOutcomeDto) => dto.outcome === 'incident' || dto.incidentKind !== undefined)
  @IsDefined()
  @IsIn([...INCIDENT_KINDS], { message: `$property must be one of: ${INCIDENT_KINDS.join(', ')}` })
  incidentKind?: (typeof INCIDENT_KINDS)[number];

  @ApiPropertyOptional({
    example: '2026-12-01T10:20:00+01:00',
    description: 'When the violent event began (required with an incident)',
  })
  @ValidateIf((dto: RecordMeetingOutcomeDto) => dto.outcome === 'incident' || dto.startedAt !== undefined)
  @IsDefined()
  @IsISO8601({ strict: true, strictSeparator: true })
  startedAt?: string;

  @ApiPropertyOptional({ example: true, description: 'Whether other staff on duty were called (with an incident)' })
  @ValidateIf((dto: RecordMeetingOutcomeDto) => dto.outcome === 'incident' || dto.colleaguesCalled !== undefined)
  @IsBoolean()
  colleaguesCalled?: boolean;

  @ApiPropertyOptional({ example: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  colleaguesCount?: number;

  @OptionalInstant('When the operations centre was phoned, if it was')
  operationsCentreCalledAt?: string;

  @OptionalPersonalText('In the courtyard of Via Esempio 1', 'Where it happened, when not at the meeting address.', 500)
  location?: string;

  incident(): IncidentReport | undefined {
    if (this.outcome !== 'incident') return undefined;
    return {
      incidentKind: this.incidentKind!,
      startedAt: this.startedAt!,
      colleaguesCalled: this.colleaguesCalled!,
      ...(this.colleaguesCount === undefined ? {} : { colleaguesCount: this.colleaguesCount }),
      ...(this.operationsCentreCalledAt === undefined
        ? {}
        : { operationsCentreCalledAt: this.operationsCentreCalledAt }),
      ...(this.location === undefined ? {} : { location: this.location }),
    };
  }

  /** Incident details sent with a meeting without incident: named so the client can fix them. */
  misplacedIncidentFields(): string[] {
    if (this.outcome === 'incident') return [];
    return (
      [
        'incidentKind',
        'startedAt',
        'colleaguesCalled',
        'colleaguesCount',
        'operationsCentreCalledAt',
        'location',
      ] as const
    ).filter((field) => this[field] !== undefined);
  }
}

export class CancelSafetyRequestDto extends SafetyCommandBody {
  @OneOf(SAFETY_REQUEST_CANCELLATION_REASONS, 'meeting_cancelled')
  reason!: (typeof SAFETY_REQUEST_CANCELLATION_REASONS)[number];

  toCommand(requestId: string, b: Building): SafetyRequestCommand {
    return { type: 'CancelSafetyRequest', requestId, occurredAt: b.occurredAt, actor: b.actor, reason: this.reason };
  }
}
