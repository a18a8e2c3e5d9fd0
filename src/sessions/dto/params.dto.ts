import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ID_DESCRIPTION, ID_PATTERN } from '../../common/validation';

export class SessionParams {
  @ApiProperty({ pattern: ID_PATTERN.source, maxLength: 128 })
  @Matches(ID_PATTERN, { message: `sessionId must be ${ID_DESCRIPTION}` })
  sessionId: string;
}

export class EventParams extends SessionParams {
  @ApiProperty({ pattern: ID_PATTERN.source, maxLength: 128 })
  @Matches(ID_PATTERN, { message: `eventId must be ${ID_DESCRIPTION}` })
  eventId: string;
}
