import { Passport } from 'passport';

export type Authenticator = InstanceType<typeof Passport>;
import { Strategy as LocalStrategy } from 'passport-local';
import type { AppContext } from '../../platform/context.js';
import { clientIp } from '../../platform/http/guards.js';
import { sessionUser, verifyCredentials, type SignInResult } from './accounts.service.js';

/** passport with the local strategy; the session keeps only the user id and reloads the user each request. */
export function createPassport(ctx: AppContext): Authenticator {
  const passport = new Passport();
  const limits = { maxFailures: ctx.config.signInMaxFailures, windowMs: ctx.config.signInWindowMs };
  passport.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true },
      (req, email, password, done) => {
        verifyCredentials(ctx.db, limits, email.trim(), password, clientIp(req)).then(
          (result: SignInResult) =>
            result.ok ? done(null, result.user) : done(null, false, { message: result.reason, ...result }),
          done,
        );
      },
    ),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  // A disabled or deleted user is no longer signed in, whatever their cookie says.
  passport.deserializeUser((id: string, done) => {
    sessionUser(ctx.db, id).then((u) => done(null, u ?? false), done);
  });
  return passport;
}
