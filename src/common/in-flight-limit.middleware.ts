import { Injectable, NestMiddleware } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import type { Env } from '../config/env.validation';
import { ApiError } from './api-error';

/**
 * Caps the requests being served at once (MAX_IN_FLIGHT_REQUESTS; 0 turns it
 * off). Past the cap a request is answered 503 SERVICE_OVERLOADED with
 * Retry-After at once, before its body is read: when the database stalls,
 * requests then wait at most the operation bound and their number stays
 * capped, so memory cannot grow with the length of the stall. A response
 * that stays open by design (an event stream) leaves the count once it is
 * established (leaveInFlight); MAX_STREAMS bounds those.
 */
@Injectable()
export class InFlightLimitMiddleware implements NestMiddleware {
  private readonly max: number;
  private inFlight = 0;

  constructor(config: ConfigService<Env, true>) {
    this.max = config.getOrThrow('MAX_IN_FLIGHT_REQUESTS', { infer: true });
  }

  use(_: Request, res: Response, next: NextFunction): void {
    if (this.max === 0) return next();
    if (this.inFlight >= this.max) {
      throw new ApiError(
        'SERVICE_OVERLOADED',
        `The service is already serving ${this.max} requests; retry shortly.`,
      );
    }
    this.inFlight++;
    let counted = true;
    const leave = () => {
      if (counted) this.inFlight--;
      counted = false;
    };
    (res.locals as InFlightLocals)[LEAVE] = leave;
    // 'close' comes once per response, sent in full or cut off.
    res.once('close', leave);
    next();
  }
}

const LEAVE = 'leaveInFlight';
type InFlightLocals = { [LEAVE]?: () => void };

/** Stops counting this response as in flight (it stays open by design). */
export function leaveInFlight(res: Response): void {
  (res.locals as InFlightLocals | undefined)?.[LEAVE]?.();
}
