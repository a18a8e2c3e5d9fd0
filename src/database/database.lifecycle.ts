import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Env } from '../config/env.validation';
import { mongooseOptions } from './database.options';

const RETRY_DELAY_MS = 1000;

/**
 * Owns the connection's life past what mongoose does by itself. Mongoose
 * gives up for good when the first connection attempt fails, and it creates
 * indexes only once; so the service keeps trying to connect in the
 * background, builds the indexes as soon as it has a connection, and counts
 * as ready only when both are done. Once connected, the driver reconnects by
 * itself after an outage.
 */
@Injectable()
export class DatabaseLifecycle
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(DatabaseLifecycle.name);
  private indexesBuilt = false;
  private stopping = false;
  private started?: Promise<void>;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: ConfigService<Env, true>,
  ) {
    // Without a listener mongoose would rethrow connection errors.
    connection.on('error', (error: Error) =>
      this.logger.warn(`Database connection error: ${error.message}`),
    );
    connection.on('disconnected', () =>
      this.logger.warn('Database disconnected'),
    );
    connection.on('reconnected', () => this.logger.log('Database reconnected'));
  }

  onApplicationBootstrap(): void {
    this.started = this.connectAndPrepare();
  }

  /** Runs once the HTTP server has stopped accepting and drained; mongoose closes next. */
  async onApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    await this.started;
    this.logger.log(
      `Shutting down (${signal ?? 'close'}): closing the database connection`,
    );
  }

  /**
   * True once the indexes the service relies on exist. Deliberately not the
   * live connection state: during an outage requests still reach the driver,
   * whose server selection both fails them fast and notices the database's
   * return at once.
   */
  get ready(): boolean {
    return this.indexesBuilt;
  }

  /** Resolves when ready; for tests and tools that must not race the index build. */
  async whenReady(): Promise<void> {
    await this.started;
  }

  private async connectAndPrepare(): Promise<void> {
    const uri = this.config.getOrThrow('MONGODB_URI', { infer: true });
    let first = true;
    while (!this.stopping) {
      try {
        if (first) await this.connection.asPromise();
        else await this.connection.openUri(uri, mongooseOptions(this.config));
        await Promise.all(
          Object.values(this.connection.models).map((model) =>
            model.createIndexes(),
          ),
        );
        this.indexesBuilt = true;
        this.logger.log('Database connected, indexes in place');
        return;
      } catch (error) {
        first = false;
        this.logger.warn(
          `Database not ready (${(error as Error).message}); retrying in ${RETRY_DELAY_MS} ms`,
        );
        await sleep(RETRY_DELAY_MS);
      }
    }
  }
}
