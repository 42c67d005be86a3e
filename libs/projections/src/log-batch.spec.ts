import fc from 'fast-check';
import { comparePositions, LogPosition, RecordedEvent } from '@helpline/event-store';
import { batchTarget } from './log-batch';

const position = fc.record({ commit: fc.integer({ min: 0, max: 1_000 }), prepare: fc.integer({ min: 0, max: 1_000 }) });
const eventAt = (at: LogPosition) => ({ position: at }) as RecordedEvent;

describe('batchTarget', () => {
  it('never moves back, covers the batch, and passes the head only when the read came back short', () => {
    fc.assert(
      fc.property(
        position,
        fc.array(position, { maxLength: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(position, { nil: undefined }),
        (after, raw, limit, head) => {
          const positions = raw
            .filter((p) => comparePositions(p, after) > 0)
            .sort(comparePositions)
            .slice(0, limit);
          const events = positions.map(eventAt);
          const target = batchTarget(after, events, limit, head);
          expect(comparePositions(target, after)).toBeGreaterThanOrEqual(0);
          if (events.length > 0)
            expect(comparePositions(target, positions[positions.length - 1]!)).toBeGreaterThanOrEqual(0);
          if (events.length === limit || !head) {
            expect(target).toEqual(events.length > 0 ? positions[positions.length - 1] : after);
          } else {
            const last = events.length > 0 ? positions[positions.length - 1] : after;
            expect(target).toEqual(comparePositions(head, last!) > 0 ? head : last);
          }
        },
      ),
    );
  });
});
