import { Counter, Gauge, register as globalRegister, Registry } from 'prom-client';
import type { LogPosition } from '@helpline/event-store';

export interface ProjectionFigures {
  readonly name: string;
  readonly position: LogPosition;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly failed: boolean;
}

/**
 * The runner's Prometheus metrics, labelled by projection. Several runners may share a registry (tests, or a
 * projector inside the api process): each metric is created once per registry and reused.
 */
export class ProjectionMetrics {
  private readonly lagEvents: Gauge<'projection'>;
  private readonly lagSeconds: Gauge<'projection'>;
  private readonly position: Gauge<'projection'>;
  private readonly failed: Gauge<'projection'>;
  private readonly applied: Counter<'projection'>;

  constructor(registry: Registry = globalRegister) {
    this.lagEvents = gauge(
      registry,
      'helpline_projection_lag_events',
      'Events the projection handles that are after its checkpoint (capped by lagCountLimit)',
    );
    this.lagSeconds = gauge(
      registry,
      'helpline_projection_lag_seconds',
      'Seconds since the oldest event the projection has not applied was recorded (0 when caught up)',
    );
    this.position = gauge(
      registry,
      'helpline_projection_position',
      "The commit part of the projection's checkpoint (monotonic in log order)",
    );
    this.failed = gauge(
      registry,
      'helpline_projection_failed',
      '1 while the projection is stopped at an event it could not apply',
    );
    this.applied = counter(
      registry,
      'helpline_projection_events_applied_total',
      'Events applied to the live read model by this process',
    );
  }

  eventsApplied(projection: string, count: number): void {
    if (count > 0) this.applied.inc({ projection }, count);
  }

  positionReached(projection: string, position: LogPosition): void {
    this.position.set({ projection }, position.commit);
  }

  report(figures: ProjectionFigures): void {
    const labels = { projection: figures.name };
    this.lagEvents.set(labels, figures.lagEvents);
    this.lagSeconds.set(labels, figures.lagSeconds);
    this.position.set(labels, figures.position.commit);
    this.failed.set(labels, figures.failed ? 1 : 0);
  }
}

function gauge(registry: Registry, name: string, help: string): Gauge<'projection'> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<'projection'>;
  return new Gauge({ name, help, labelNames: ['projection'], registers: [registry] });
}

function counter(registry: Registry, name: string, help: string): Counter<'projection'> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<'projection'>;
  return new Counter({ name, help, labelNames: ['projection'], registers: [registry] });
}
