import type { components } from './schema';

/** The API's vocabularies, as the generated types name them (schema.d.ts, `npm run openapi`). */
type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
type Member<T> = T extends ReadonlyArray<infer Item> ? Item : T;

export type Channel = Schema<'RecordFirstContactDto'>['channel'];
export type CallerType = Schema<'RecordFirstContactDto'>['callerType'];
export type AgeBand = Schema<'RecordFirstContactDto'>['ageBand'];
export type Gender = Schema<'RecordFirstContactDto'>['gender'];
export type Concern = Schema<'RecordFirstContactDto'>['concern'];
export type HeardOfLine = Schema<'RecordFirstContactDto'>['heardOfLine'];
export type Phase = Schema<'CaseView'>['phase'];
export type RequestCategory = Member<Schema<'FrameRequestDto'>['categories']>;
export type ProblemCategory = Member<Schema<'ReframeProblemDto'>['categories']>;
export type GoalKind = Schema<'SetGoalDto'>['goalKind'];
export type RiskLevel = Schema<'FlagRiskDto'>['level'];
export type RiskKind = Schema<'FlagRiskDto'>['kind'];
export type CallbackResolution = Schema<'CompleteCallbackDto'>['resolution'];
export type ReferralStatus = Schema<'CaseReferral'>['status'];
export type DeclineReason = Schema<'DeclineHandoffDto'>['reason'];
export type WithdrawalReason = Schema<'WithdrawReferralDto'>['reason'];
export type SharedField = Member<Schema<'SendHandoffDto'>['sharedFields']>;
export type ConsentMethod = Schema<'ConsentDto'>['method'];
export type SessionMode = Schema<'ScheduleSessionDto'>['mode'];
export type Outcome = Schema<'CloseCaseDto'>['outcome'];
export type ReopenReason = Schema<'ReopenCaseDto'>['reason'];
export type ErasureReason = Schema<'ErasePersonalDataDto'>['reason'];
export type ServiceType = Schema<'DirectoryServiceView'>['serviceType'];
export type Area = Member<Schema<'DirectoryServiceView'>['areas']>;
export type AccessWhat = Schema<'AccessLogPage'>['entries'][number]['what'];
export type CaseEventType = Schema<'CaseHistory'>['events'][number]['type'];
