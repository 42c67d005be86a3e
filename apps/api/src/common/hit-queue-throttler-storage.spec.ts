import fc from 'fast-check';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { HitQueueThrottlerStorage } from './hit-queue-throttler-storage';

describe('HitQueueThrottlerStorage', () => {
  afterEach(() => jest.useRealTimers());

  it("answers every request as @nestjs/throttler's own storage does, for any callers and timings", async () => {
    const request = fc.record({
      caller: fc.constantFrom('sub:a', 'sub:b', 'ip:c'),
      afterMs: fc.integer({ min: 0, max: 700 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { maxLength: 120 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(0, 500, 2000),
        async (requests, limit, blockDuration) => {
          jest.useFakeTimers({ now: Date.parse('2026-12-05T09:00:00Z') });
          const theirs = new ThrottlerStorageService();
          const ours = new HitQueueThrottlerStorage();
          try {
            for (const { caller, afterMs } of requests) {
              jest.setSystemTime(Date.now() + afterMs);
              const expected = await theirs.increment(caller, 3000, limit, blockDuration, 'default');
              expect(await ours.increment(caller, 3000, limit, blockDuration, 'default')).toEqual(expected);
            }
          } finally {
            theirs.onApplicationShutdown();
            ours.stop();
            jest.useRealTimers();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
