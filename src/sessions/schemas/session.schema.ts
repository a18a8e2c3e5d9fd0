import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema } from 'mongoose';

export const SESSION_STATUSES = [
  'initiated',
  'active',
  'completed',
  'failed',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const EVENT_TYPES = ['user_speech', 'bot_speech', 'system'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One event, embedded in its session. Its `seq` is not stored: it is the
 * event's position in `events` plus one, because `$push` appends in order and
 * nothing is ever removed, so the position is exact and needs no second write.
 */
@Schema({ _id: false, versionKey: false, minimize: false })
export class StoredEvent {
  @Prop({ required: true })
  eventId: string;

  @Prop({ required: true, enum: EVENT_TYPES })
  type: EventType;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  payload: Record<string, unknown>;

  @Prop({ required: true })
  timestamp: Date;

  @Prop({ required: true })
  receivedAt: Date;
}

export const StoredEventSchema = SchemaFactory.createForClass(StoredEvent);

@Schema({
  collection: 'sessions',
  timestamps: true,
  versionKey: false,
  // Keep `{}` metadata and payloads as sent: replays are compared deep-equal.
  minimize: false,
})
export class Session {
  @Prop({ required: true })
  sessionId: string;

  @Prop({ required: true, enum: SESSION_STATUSES, default: 'initiated' })
  status: SessionStatus;

  @Prop({ required: true })
  language: string;

  @Prop({ type: MongooseSchema.Types.Mixed, default: () => ({}) })
  metadata: Record<string, unknown>;

  @Prop({ required: true })
  startedAt: Date;

  @Prop({ type: Date, default: null })
  endedAt: Date | null;

  @Prop()
  failureReason?: string;

  @Prop({ required: true, default: 0 })
  eventCount: number;

  /**
   * Running total of the stored events' BSON size, so that an append can be
   * refused in its own filter before the document would pass MongoDB's 16 MB.
   */
  @Prop({ required: true, default: 0 })
  eventBytes: number;

  @Prop({ type: [StoredEventSchema], default: [] })
  events: StoredEvent[];

  createdAt: Date;
  updatedAt: Date;
}

export type SessionDocument = HydratedDocument<Session>;

export const SessionSchema = SchemaFactory.createForClass(Session);

// Every read and write addresses one session by sessionId; unique, so that a
// session can never exist twice however many creates race.
SessionSchema.index({ sessionId: 1 }, { unique: true });
// Listing: newest first, ties by sessionId, optionally filtered by status.
SessionSchema.index({ startedAt: -1, sessionId: 1 });
SessionSchema.index({ status: 1, startedAt: -1, sessionId: 1 });
