import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { idProperty } from '../../common/openapi/properties';
import { ID_DESCRIPTION, ID_PATTERN } from '../../common/validation';

export class SessionParams {
  @ApiProperty(idProperty('The session.'))
  @Matches(ID_PATTERN, { message: `sessionId must be ${ID_DESCRIPTION}` })
  sessionId: string;
}

export class EventParams extends SessionParams {
  @ApiProperty(idProperty('The event, within its session.'))
  @Matches(ID_PATTERN, { message: `eventId must be ${ID_DESCRIPTION}` })
  eventId: string;
}
