import { ConcurrencyLimit, TooBusyException } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('runs up to its slots at once, refuses one more at once, and frees a slot when a run ends', async () => {
    const limit = new ConcurrencyLimit(2, 'replays', 7);
    const releases: Array<() => void> = [];
    const pending = () => new Promise<string>((resolve) => releases.push(() => resolve('done')));
    const first = limit.run(pending);
    const second = limit.run(pending);
    await expect(limit.run(pending)).rejects.toBeInstanceOf(TooBusyException);
    await expect(limit.run(pending)).rejects.toMatchObject({ retryAfterSeconds: 7 });
    releases[0]!();
    await expect(first).resolves.toBe('done');
    const third = limit.run(pending);
    releases[1]!();
    releases[2]!();
    await expect(Promise.all([second, third])).resolves.toEqual(['done', 'done']);
  });

  it('frees the slot of a run that failed', async () => {
    const limit = new ConcurrencyLimit(1, 'replays');
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.run(async () => 'ok')).resolves.toBe('ok');
  });
});
