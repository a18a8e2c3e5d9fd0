import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Connection, Model } from 'mongoose';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, setupApp } from '../../src/app.setup';
import { DatabaseLifecycle } from '../../src/database/database.lifecycle';
import { Session } from '../../src/sessions/schemas/session.schema';

export type TestAgent = ReturnType<typeof request>;

export interface TestApp {
  app: NestExpressApplication;
  /** Requests over a real loopback socket, so parallel requests really run in parallel. */
  http: TestAgent;
  /** The sessions model, to assert what is stored. */
  sessions: Model<Session>;
  connection: Connection;
  close(): Promise<void>;
}

/**
 * Boots the real AppModule, exactly as production does, against this file's
 * own database (see env.ts), and waits until its indexes exist.
 */
export async function createTestApp(): Promise<TestApp> {
  const t = await createTestAppUnready();
  await t.app.get(DatabaseLifecycle).whenReady();
  return t;
}

/** The app as it is right after start, before the database is known to be reachable. */
export async function createTestAppUnready(): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule],
  }).compile();
  const app = setupApp(
    moduleRef.createNestApplication<NestExpressApplication>(APP_OPTIONS),
  );
  await app.listen(0, '127.0.0.1');
  const connection = app.get<Connection>(getConnectionToken());
  return {
    app,
    http: request(await app.getUrl()),
    connection,
    sessions: app.get<Model<Session>>(getModelToken(Session.name)),
    async close() {
      await connection.dropDatabase().catch(() => undefined);
      await app.close();
    },
  };
}
