import { ConfigService } from '@nestjs/config';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Connection, Model } from 'mongoose';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, setupApp } from '../../src/app.setup';
import { DatabaseLifecycle } from '../../src/database/database.lifecycle';
import { Session } from '../../src/sessions/schemas/session.schema';
import { type TestConfig, testConfigService } from './config';
import { FILE_DATABASE_URI } from './database';

export type { TestConfig } from './config';
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
 * own database, with `settings` on top of the test defaults (see config.ts),
 * and waits until its indexes exist.
 */
export async function createTestApp(
  settings: TestConfig = {},
): Promise<TestApp> {
  const t = await createTestAppUnready(settings);
  await t.app.get(DatabaseLifecycle).whenReady();
  return t;
}

/** The app as it is right after start, before the database is known to be reachable. */
export async function createTestAppUnready(
  settings: TestConfig = {},
): Promise<TestApp> {
  const config = testConfigService({
    MONGODB_URI: FILE_DATABASE_URI,
    ...settings,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule],
  })
    .overrideProvider(ConfigService)
    .useValue(config)
    .compile();
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

/**
 * One app for the enclosing describe block: started in beforeAll, closed
 * (and its database dropped) in afterAll. The returned object reads the
 * current app, so it can be captured before the app exists.
 */
export function useTestApp(
  settings: TestConfig = {},
  { waitForDatabase = true }: { waitForDatabase?: boolean } = {},
): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await (waitForDatabase ? createTestApp : createTestAppUnready)(
      settings,
    );
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  const started = (): TestApp => {
    if (!current) throw new Error('the test app runs only inside its tests');
    return current;
  };
  return {
    get app() {
      return started().app;
    },
    get http() {
      return started().http;
    },
    get sessions() {
      return started().sessions;
    },
    get connection() {
      return started().connection;
    },
    close: () => started().close(),
  };
}
