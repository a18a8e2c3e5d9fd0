import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Session, SessionSchema } from './schemas/session.schema';
import { EventsService } from './events.service';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { SessionStreamController } from './stream/session-stream.controller';
import { SessionStreams } from './stream/session-streams.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Session.name, schema: SessionSchema }]),
  ],
  controllers: [SessionsController, SessionStreamController],
  providers: [
    SessionsRepository,
    SessionsService,
    EventsService,
    SessionStreams,
  ],
})
export class SessionsModule {}
