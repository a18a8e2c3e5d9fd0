/**
 * The result of an idempotent write: the resource, whether this request
 * created it (201 + Location) or replayed an earlier identical one (200 +
 * Idempotent-Replayed), and where it lives.
 */
export interface Outcome<T> {
  value: T;
  created: boolean;
  location: string;
}
