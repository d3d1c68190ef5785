import type { Request, Response } from 'express';

/**
 * Runs `work` once the answer has gone out, logging its failure with the request's id: for forms whose
 * page must not wait on (or, by its timing, reveal) what they do, such as mailing a link or not.
 */
export function afterResponse(req: Request, res: Response, work: () => Promise<unknown>): void {
  // 'close' follows the sent answer, and also a visitor who left before it: the work is done either way
  res.once('close', () => {
    work().catch((err: unknown) => req.log.error({ err }, 'work after the response failed'));
  });
}
