import type { CommandPrincipal } from './command-context';

/** The least an event must carry for the command path: its type, and the time it happened in its data. */
export interface DomainEventShape {
  readonly type: string;
  readonly data: { readonly occurredAt: string };
}

/**
 * Everything the command handler needs to know about one kind of event-sourced aggregate (a case, a safety request,
 * an emergency record): its decider, how its events are read back, where it lives and who may reach it.
 */
export interface AggregateDefinition<
  TState,
  TCommand,
  TEvent extends DomainEventShape,
  TPrincipal extends CommandPrincipal = CommandPrincipal,
> {
  /** The stream of the aggregate with this id; its name is also the subject of the aggregate's personal-data key. */
  streamName(id: string): string;
  /** The id of the aggregate a stream holds (the inverse of `streamName`). */
  idOfStream(streamId: string): string;
  readonly initialState: TState;
  evolve(state: TState, event: TEvent): TState;
  decide(command: TCommand, state: TState): TEvent[];
  /** A recorded event as the present code reads it (older schema versions upcast). */
  upcast(type: string, schemaVersion: number, data: unknown): TEvent;
  /** The schema version each event type is written with. */
  schemaVersionOf(event: TEvent): number;
  /**
   * Whether the principal may act on an existing aggregate in this state. Anything else is answered with
   * `notFound()`, the same as an aggregate that does not exist, so the answer tells nothing about other people's
   * records. A command that opens the aggregate skips this (its decider refuses a second opening).
   */
  reachableBy(principal: TPrincipal, state: TState, version: number): boolean;
  notFound(): Error;
}
