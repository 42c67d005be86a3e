import { DomainError } from '../shared/domain-error';

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  readonly initialState: State;
}

/**
 * Given/when/then for a decider, after Emmett's DeciderSpecification:
 * `spec.given(pastEvents).when(command).then(newEvents)` or `.thenThrows('CASE_CLOSED', 'field')`.
 * Test-only: uses jest's `expect`, so it is not exported from the library index.
 */
export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      return {
        when(command: Command) {
          const run = (): { state: State; events: Event[] } => {
            const state = events.reduce(decider.evolve, decider.initialState);
            return { state, events: decider.decide(command, state) };
          };
          return {
            then(expected: readonly Event[]): void {
              const { state, events: produced } = run();
              expect(produced).toEqual(expected);
              // What decide produced must fold without surprises.
              expect(() => produced.reduce(decider.evolve, state)).not.toThrow();
            },
            /** The state after the new events, for a follow-up assertion. */
            thenState(assert: (state: State) => void): void {
              const { state, events: produced } = run();
              assert(produced.reduce(decider.evolve, state));
            },
            thenThrows(code: string, field?: string): void {
              let produced: Event[] | undefined;
              try {
                produced = run().events;
              } catch (error) {
                expect(error).toBeInstanceOf(DomainError);
                expect((error as DomainError).code).toBe(code);
                if (field !== undefined) expect((error as DomainError).field).toBe(field);
                return;
              }
              throw new Error(`Expected ${code}, but the command produced ${JSON.stringify(produced)}`);
            },
          };
        },
      };
    },
  };
}
