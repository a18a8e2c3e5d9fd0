import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { routeTemplate } from '../common/route-template';
import { Metrics } from './metrics';

/**
 * Times every request to its last byte, labelled with the route template
 * (never the raw path, which would make one series per session).
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    res.once('finish', () => {
      end({
        method: req.method,
        route: routeTemplate(req),
        status: String(res.statusCode),
      });
    });
    next();
  }
}
