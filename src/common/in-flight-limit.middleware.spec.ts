import type { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { EventEmitter } from 'node:events';
import type { Env } from '../config/env.validation';
import { ApiError } from './api-error';
import {
  InFlightLimitMiddleware,
  leaveInFlight,
} from './in-flight-limit.middleware';

const withCap = (max: number) =>
  new InFlightLimitMiddleware({
    getOrThrow: () => max,
  } as unknown as ConfigService<Env, true>);

/** A response that can be closed, as Node closes one sent in full or cut off. */
const response = () =>
  Object.assign(new EventEmitter(), { locals: {} }) as unknown as Response;
const request = {} as Request;

describe('InFlightLimitMiddleware', () => {
  it('admits requests up to the cap, then answers SERVICE_OVERLOADED without calling next', () => {
    const limit = withCap(2);
    const next = jest.fn();
    limit.use(request, response(), next);
    limit.use(request, response(), next);
    expect(() => limit.use(request, response(), next)).toThrow(
      expect.objectContaining({ code: 'SERVICE_OVERLOADED' }) as ApiError,
    );
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('gives a slot back when a response closes, once', () => {
    const limit = withCap(1);
    const next = jest.fn();
    const first = response();
    limit.use(request, first, next);
    first.emit('close');
    first.emit('close');
    limit.use(request, response(), next);
    expect(() => limit.use(request, response(), next)).toThrow(ApiError);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('gives the slot back at once, and only once, for a response that stays open', () => {
    const limit = withCap(1);
    const next = jest.fn();
    const stream = response();
    limit.use(request, stream, next);
    leaveInFlight(stream);
    limit.use(request, response(), next);
    // The stream closing later gives back nothing more.
    stream.emit('close');
    expect(() => limit.use(request, response(), next)).toThrow(ApiError);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('admits everything when the cap is 0', () => {
    const limit = withCap(0);
    const next = jest.fn();
    for (let i = 0; i < 1000; i++) limit.use(request, response(), next);
    expect(next).toHaveBeenCalledTimes(1000);
  });
});
