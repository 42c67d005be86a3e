/**
 * Polls `condition` until it holds. A reader of the PostgreSQL log sees a commit only once every transaction that
 * started before it has ended, in the whole cluster: another test's open transaction (any database on the same
 * server) can hold a just-committed event back for a moment.
 */
export async function eventually(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
