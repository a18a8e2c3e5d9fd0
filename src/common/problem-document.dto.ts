import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PROBLEM_CODES, type ProblemCode } from './problem-codes';

@ApiSchema({ name: 'FieldError' })
export class FieldErrorDocument {
  @ApiProperty({
    example: 'sessionId',
    description: 'The request field, as a dotted path.',
  })
  field: string;

  @ApiProperty({ description: 'What is wrong with it.' })
  message: string;
}

/** RFC 9457 problem details, as every error response carries them. */
@ApiSchema({
  name: 'Problem',
  description:
    'RFC 9457 problem details, as every error response carries them.',
})
export class ProblemDocument {
  @ApiProperty({
    example: 'urn:problem-type:conversation-service:session-not-found',
    description: 'A URI naming the problem type; one per `code`.',
  })
  type: string;

  @ApiProperty({
    example: 'Session not found',
    description: 'Short summary of the problem type.',
  })
  title: string;

  @ApiProperty({
    type: 'integer',
    minimum: 400,
    maximum: 599,
    example: 404,
    description: 'The HTTP status code.',
  })
  status: number;

  @ApiProperty({ description: 'What went wrong with this request.' })
  detail: string;

  @ApiProperty({
    example: '/sessions/call-1',
    description: 'The request path.',
  })
  instance: string;

  @ApiProperty({
    enum: PROBLEM_CODES,
    enumName: 'ProblemCode',
    description: 'Stable machine-readable code; clients branch on it.',
  })
  code: ProblemCode;

  @ApiProperty({ description: 'The X-Request-Id of the request.' })
  requestId: string;

  @ApiProperty({
    type: [FieldErrorDocument],
    required: false,
    description: 'One entry per invalid field, when fields were invalid.',
  })
  errors?: FieldErrorDocument[];
}
