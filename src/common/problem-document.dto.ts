import { ApiProperty } from '@nestjs/swagger';
import { PROBLEM_CODES, type ProblemCode } from './problem-codes';

export class FieldErrorDocument {
  @ApiProperty({ example: 'sessionId' })
  field: string;

  @ApiProperty()
  message: string;
}

/** RFC 9457 problem details, as every error response carries them. */
export class ProblemDocument {
  @ApiProperty({
    example: 'urn:problem-type:conversation-service:session-not-found',
  })
  type: string;

  @ApiProperty({ example: 'Session not found' })
  title: string;

  @ApiProperty({ example: 404 })
  status: number;

  @ApiProperty()
  detail: string;

  @ApiProperty({ example: '/sessions/call-1' })
  instance: string;

  @ApiProperty({ enum: PROBLEM_CODES })
  code: ProblemCode;

  @ApiProperty()
  requestId: string;

  @ApiProperty({ type: [FieldErrorDocument], required: false })
  errors?: FieldErrorDocument[];
}
