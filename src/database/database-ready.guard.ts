import { CanActivate, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { DatabaseLifecycle } from './database.lifecycle';

/**
 * Data routes wait for the unique indexes: writes accepted before they exist
 * could store a session twice.
 */
@Injectable()
export class DatabaseReadyGuard implements CanActivate {
  constructor(private readonly database: DatabaseLifecycle) {}

  canActivate(): boolean {
    if (this.database.ready) return true;
    throw new ApiError(
      'DATABASE_UNAVAILABLE',
      'The database is not reachable yet; retry shortly.',
    );
  }
}
