/** A database read that did not settle in time; treated like a failed one. */
export class StallError extends Error {
  override readonly name = 'StallError';
}

/** `operation`, or a StallError once `ms` have passed without it settling. */
export function withTimeout<T>(operation: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StallError(`no answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([operation, stalled]).finally(() => clearTimeout(timer));
}
