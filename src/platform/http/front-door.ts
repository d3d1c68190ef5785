import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * A module's own answer to a busy kind of request, before Express sets the request up (its prototypes,
 * routing, `res.json`), which costs more CPU than the answer itself. It returns false to leave the
 * request to the app; after taking it, `toApp()` still hands it to the app (e.g. to answer an error).
 */
export type FrontDoor = (req: IncomingMessage, res: ServerResponse, toApp: () => void) => boolean;

type Handle = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/**
 * Puts a front door before the app: wherever the app is called (`app.listen`, `http.createServer(app)`,
 * supertest), Express calls `app.handle`, so that is where the door goes.
 */
export function openFrontDoor(app: Express, door: FrontDoor): void {
  const target = app as unknown as { handle: Handle };
  const handle = target.handle.bind(app) as Handle;
  target.handle = (req, res, next) => {
    if (!door(req, res, () => handle(req, res, next))) handle(req, res, next);
  };
}
