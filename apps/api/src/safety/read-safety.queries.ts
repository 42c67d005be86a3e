import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '@helpline/auth';
import { SETTINGS, type Settings } from '@helpline/config';
import { PersonalDataVault } from '@helpline/privacy';
import {
  canSeeEmergency,
  canSeeRequest,
  OtherUnitError,
  registerScopeOf,
  safetyEmergencyView,
  SafetyEmergencyNotFoundError,
  SafetyMonitoringQueries,
  SafetyAccessLogRepository,
  SafetyRegisterQueries,
  safetyRequestView,
  SafetyRequestNotFoundError,
  SafetyStreamRepository,
  NotInSafetyProtocolError,
  type SafetyAccessLogFilter,
  type SafetyMonitoringExport,
  type SafetyMonthlyFigures,
  type SafetyRegisterFilter,
  type SafetyRegisterItem,
  type SafetyRegisterPage,
  type SafetyRegisterScope,
} from '@helpline/safety';

export class GetSafetyRequestQuery extends Query<Awaited<ReturnType<typeof safetyRequestView>>> {
  constructor(
    readonly requestId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export class GetSafetyEmergencyQuery extends Query<Awaited<ReturnType<typeof safetyEmergencyView>>> {
  constructor(
    readonly emergencyId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export class GetSafetyAccessLogQuery extends Query<Awaited<ReturnType<SafetyAccessLogRepository['find']>>> {
  constructor(readonly filter: SafetyAccessLogFilter) {
    super();
  }
}

export class GetSafetyRegisterQuery extends Query<SafetyRegisterPage | SafetyRegisterItem[]> {
  constructor(
    readonly principal: Principal,
    readonly filter: SafetyRegisterFilter,
    /** A page of the listing, or every record (the CSV export) when undefined. */
    readonly page?: { limit?: number; after?: string },
  ) {
    super();
  }
}

export class GetSafetyMonitoringQuery extends Query<SafetyMonthlyFigures[]> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly unitId?: string,
  ) {
    super();
  }
}

export class GetPoliceWorklistQuery extends Query<SafetyRegisterItem[]> {}

export class GetSafetyMonitoringExportQuery extends Query<SafetyMonitoringExport> {
  constructor(readonly month: string) {
    super();
  }
}

@QueryHandler(GetSafetyRequestQuery)
export class GetSafetyRequestHandler implements IQueryHandler<GetSafetyRequestQuery> {
  constructor(
    private readonly streams: SafetyStreamRepository,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: SafetyAccessLogRepository,
  ) {}

  async execute({ requestId, principal }: GetSafetyRequestQuery) {
    const loaded = await this.streams.loadRequest(requestId);
    if (!canSeeRequest(principal, loaded.state)) throw new SafetyRequestNotFoundError();
    await this.accessLog.record('request', requestId, loaded.state.unitId, principal);
    return safetyRequestView(loaded, this.vault, principal);
  }
}

@QueryHandler(GetSafetyEmergencyQuery)
export class GetSafetyEmergencyHandler implements IQueryHandler<GetSafetyEmergencyQuery> {
  constructor(
    private readonly streams: SafetyStreamRepository,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: SafetyAccessLogRepository,
  ) {}

  async execute({ emergencyId, principal }: GetSafetyEmergencyQuery) {
    const loaded = await this.streams.loadEmergency(emergencyId);
    if (!canSeeEmergency(principal, loaded.state)) throw new SafetyEmergencyNotFoundError();
    await this.accessLog.record('emergency', emergencyId, loaded.state.unitId, principal);
    return safetyEmergencyView(loaded, this.vault, principal);
  }
}

@QueryHandler(GetSafetyAccessLogQuery)
export class GetSafetyAccessLogHandler implements IQueryHandler<GetSafetyAccessLogQuery> {
  constructor(private readonly accessLog: SafetyAccessLogRepository) {}

  execute({ filter }: GetSafetyAccessLogQuery) {
    return this.accessLog.find(filter);
  }
}

@QueryHandler(GetSafetyRegisterQuery)
export class GetSafetyRegisterHandler implements IQueryHandler<GetSafetyRegisterQuery> {
  constructor(private readonly register: SafetyRegisterQueries) {}

  execute({ principal, filter, page }: GetSafetyRegisterQuery) {
    const scope = registerScopeOf(principal);
    if (scope === 'none') throw new NotInSafetyProtocolError();
    // A unit's staff read their own unit: naming another one is refused rather than quietly narrowed.
    if (scope !== 'all' && filter.unitId !== undefined && filter.unitId !== scope.unitId) throw new OtherUnitError();
    const registerScope: SafetyRegisterScope = scope;
    return page ? this.register.list(registerScope, filter, page) : this.register.all(registerScope, filter);
  }
}

@QueryHandler(GetSafetyMonitoringQuery)
export class GetSafetyMonitoringHandler implements IQueryHandler<GetSafetyMonitoringQuery> {
  constructor(private readonly monitoring: SafetyMonitoringQueries) {}

  execute({ from, to, unitId }: GetSafetyMonitoringQuery) {
    return this.monitoring.figures({ from, to, unitId });
  }
}

@QueryHandler(GetSafetyMonitoringExportQuery)
export class GetSafetyMonitoringExportHandler implements IQueryHandler<GetSafetyMonitoringExportQuery> {
  constructor(
    private readonly monitoring: SafetyMonitoringQueries,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  execute({ month }: GetSafetyMonitoringExportQuery) {
    return this.monitoring.exportMonth(month, this.settings.smallCellThreshold);
  }
}

@QueryHandler(GetPoliceWorklistQuery)
export class GetPoliceWorklistHandler implements IQueryHandler<GetPoliceWorklistQuery> {
  constructor(private readonly register: SafetyRegisterQueries) {}

  execute() {
    return this.register.awaitingPoliceAnswer();
  }
}
