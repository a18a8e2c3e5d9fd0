import { ProblemCode } from './problem-codes';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `payload` or `query.limit`. */
  field: string;
  message: string;
}

/**
 * An error the API answers on purpose. Thrown by the domain and by input
 * handling with a stable code; the problem filter turns it into
 * application/problem+json using the code's catalogue entry.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}
