import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../problem.filter';
import { PROBLEMS, type ProblemCode } from '../problem-codes';
import { ProblemDocument } from '../problem-document.dto';

/**
 * Documents the problem answers a route can give: one response per status,
 * application/problem+json, naming each code that status can carry.
 */
export function ApiProblems(...codes: ProblemCode[]): MethodDecorator {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of new Set(codes)) {
    const { status } = PROBLEMS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDocument),
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: group
          .map((code) => `${code}: ${PROBLEMS[code].title}.`)
          .join(' '),
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: getSchemaPath(ProblemDocument) },
          },
        },
      }),
    ),
  );
}
