import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEMS, type ProblemCode } from '../common/problem-codes';
import { ProblemDocument } from '../common/problem-document.dto';

/** Documents the problem answers a route can give, grouped by status. */
export function ApiProblems(...codes: ProblemCode[]): MethodDecorator {
  const always: ProblemCode[] = [
    'VALIDATION_FAILED',
    'UNAUTHORIZED',
    'RATE_LIMITED',
    'SERVICE_OVERLOADED',
    'DATABASE_UNAVAILABLE',
    'INTERNAL_ERROR',
  ];
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of new Set([...always, ...codes])) {
    const { status } = PROBLEMS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: group.join(', '),
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/ProblemDocument' },
          },
        },
      }),
    ),
  );
}
export { ProblemDocument };
