import { ApiError } from '../common/api-error';
import type { DatabaseLifecycle } from './database.lifecycle';
import { DatabaseReadyGuard } from './database-ready.guard';

const guardFor = (ready: boolean) =>
  new DatabaseReadyGuard({ ready } as DatabaseLifecycle);

describe('DatabaseReadyGuard', () => {
  it('lets requests through once the indexes exist', () => {
    expect(guardFor(true).canActivate()).toBe(true);
  });

  it('refuses with DATABASE_UNAVAILABLE before they do', () => {
    expect(() => guardFor(false).canActivate()).toThrow(
      expect.objectContaining({
        code: 'DATABASE_UNAVAILABLE',
        detail: 'The database is not reachable yet; retry shortly.',
      }) as ApiError,
    );
  });
});
