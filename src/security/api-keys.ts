import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Env } from '../config/env.validation';

const digest = (value: string): Buffer =>
  createHash('sha256').update(value).digest();

/**
 * The configured API keys, and which of them (if any) a request presents.
 * Keys are compared as SHA-256 digests with timingSafeEqual, so the
 * comparison takes the same time whatever the key's length or content.
 */
@Injectable()
export class ApiKeys {
  private readonly keys: { digest: Buffer; id: string }[];
  private readonly identified = new WeakMap<Request, string | undefined>();

  constructor(config: ConfigService<Env, true>) {
    this.keys = (config.get('API_KEYS', { infer: true }) ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean)
      .map((key, index) => ({ digest: digest(key), id: `key-${index + 1}` }));
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** A stable, non-secret id of the key the request presents, or undefined. */
  identify(request: Request): string | undefined {
    // Both guards ask: hash and compare once per request.
    if (this.identified.has(request)) return this.identified.get(request);
    const id = this.match(request);
    this.identified.set(request, id);
    return id;
  }

  private match(request: Request): string | undefined {
    const presented = presentedKey(request);
    if (presented === undefined) return undefined;
    const presentedDigest = digest(presented);
    let match: string | undefined;
    // Check every key, so timing does not reveal which one matched.
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, presentedDigest)) match = key.id;
    }
    return match;
  }
}

function presentedKey(request: Request): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}
