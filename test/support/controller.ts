import {
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { APP_OPTIONS } from '../../src/app.setup';
import { JsonBodyMiddleware } from '../../src/common/json-body.middleware';
import { ProblemFilter } from '../../src/common/problem.filter';
import { createValidationPipe } from '../../src/common/validation.pipe';
import { DatabaseLifecycle } from '../../src/database/database.lifecycle';
import { Metrics } from '../../src/metrics/metrics';
import type { EventView, SessionView } from '../../src/sessions/dto/views.dto';
import type { Conditional } from '../../src/sessions/etag';
import { EventsService } from '../../src/sessions/events.service';
import type { Outcome, ResourceIds } from '../../src/sessions/outcome';
import { SessionsController } from '../../src/sessions/sessions.controller';
import { SessionsService } from '../../src/sessions/sessions.service';
import type { TestAgent } from './app';
import { type TestConfig, testConfigService } from './config';

// Their public methods only: the classes' private fields do not intersect.
type Services = Pick<SessionsService, keyof SessionsService> &
  Pick<EventsService, keyof EventsService>;

/** Every public method of the services the controller calls, as jest mocks in one object. */
export type SessionsServiceMock = {
  [K in keyof Services]: jest.MockedFunction<Services[K]>;
};

export interface ControllerHarness {
  app: NestExpressApplication;
  /** Requests over a real loopback socket. */
  http: TestAgent;
  service: SessionsServiceMock;
  /** What DatabaseReadyGuard is told; ready unless a test says otherwise. */
  database: { ready: boolean };
  close(): Promise<void>;
}

/** What the mocked service answers when a test does not say otherwise. */
export const SESSION_VIEW: SessionView = {
  sessionId: 's-1',
  status: 'initiated',
  language: 'en',
  metadata: {},
  startedAt: '2026-11-25T10:00:00.000Z',
  endedAt: null,
  eventCount: 0,
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
};
export const EVENT_VIEW: EventView = {
  eventId: 'e-1',
  seq: 1,
  type: 'system',
  payload: {},
  timestamp: '2026-11-25T10:00:01.000Z',
  receivedAt: '2026-11-25T10:00:02.000Z',
};

/** The result of an idempotent write, as the service returns it. */
export function outcome<T>(
  value: T,
  created: boolean,
  resource?: ResourceIds,
): Outcome<T> {
  return { value, created, resource };
}

/** A read's answer as the service returns it: the view and its entity tag. */
export function conditional<T>(value: T, final = false): Conditional<T> {
  return { value, etag: '"tag"', final };
}

function mockService(): SessionsServiceMock {
  const mock: Record<string, jest.Mock> = {};
  for (const service of [SessionsService, EventsService]) {
    for (const name of Object.getOwnPropertyNames(service.prototype)) {
      if (name !== 'constructor') mock[name] = jest.fn();
    }
  }
  const service = mock as unknown as SessionsServiceMock;
  service.create.mockResolvedValue(
    outcome(SESSION_VIEW, true, { sessionId: 's-1' }),
  );
  service.appendEvent.mockResolvedValue(
    outcome(EVENT_VIEW, true, { sessionId: 's-1', eventId: 'e-1' }),
  );
  service.appendEvents.mockResolvedValue(
    outcome({ events: [{ ...EVENT_VIEW, outcome: 'created' }] }, true),
  );
  service.get.mockResolvedValue(
    conditional({ ...SESSION_VIEW, events: [], nextAfter: null }),
  );
  service.listEvents.mockResolvedValue(
    conditional({ events: [], nextAfter: null }),
  );
  service.getEvent.mockResolvedValue(conditional(EVENT_VIEW));
  service.list.mockResolvedValue({ sessions: [], nextCursor: null });
  service.complete.mockResolvedValue({ ...SESSION_VIEW, status: 'completed' });
  service.fail.mockResolvedValue({ ...SESSION_VIEW, status: 'failed' });
  return service;
}

/**
 * The sessions routes as a client meets them, without a database: the real
 * SessionsController behind the app's own body middleware, global validation
 * pipe and problem filter (registered as AppModule registers them), the real
 * DatabaseReadyGuard (told the database is ready), and the services mocked.
 */
export async function createControllerHarness(
  settings: TestConfig = {},
): Promise<ControllerHarness> {
  const service = mockService();
  const database = { ready: true };

  @Module({
    controllers: [SessionsController],
    providers: [
      { provide: SessionsService, useValue: service },
      { provide: EventsService, useValue: service },
      { provide: DatabaseLifecycle, useValue: database },
      {
        provide: ConfigService,
        // No database is ever reached: any well-formed URI will do.
        useValue: testConfigService({
          MONGODB_URI: 'mongodb://127.0.0.1:9/unused',
          ...settings,
        }),
      },
      { provide: Metrics, useValue: { databaseError: jest.fn() } },
      { provide: APP_PIPE, useFactory: createValidationPipe },
      { provide: APP_FILTER, useClass: ProblemFilter },
    ],
  })
  class SessionsControllerHarness implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(JsonBodyMiddleware).forRoutes('*path');
    }
  }

  const moduleRef = await Test.createTestingModule({
    imports: [SessionsControllerHarness],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    ...APP_OPTIONS,
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  return {
    app,
    http: request(await app.getUrl()),
    service,
    database,
    close: () => app.close(),
  };
}

/**
 * One harness for the enclosing describe block, its mocks cleared (their
 * default answers kept) before each test.
 */
export function useControllerHarness(
  settings: TestConfig = {},
): ControllerHarness {
  let current: ControllerHarness | undefined;
  beforeAll(async () => {
    current = await createControllerHarness(settings);
  });
  beforeEach(() => {
    for (const mock of Object.values(started().service)) mock.mockClear();
    started().database.ready = true;
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  const started = (): ControllerHarness => {
    if (!current) throw new Error('the harness runs only inside its tests');
    return current;
  };
  return {
    get app() {
      return started().app;
    },
    get http() {
      return started().http;
    },
    get service() {
      return started().service;
    },
    get database() {
      return started().database;
    },
    close: () => started().close(),
  };
}

/** The service methods that were called, by name: [] when the request never reached it. */
export function serviceCalls(service: SessionsServiceMock): string[] {
  return Object.entries(service)
    .filter(([, mock]) => mock.mock.calls.length > 0)
    .map(([name]) => name);
}
