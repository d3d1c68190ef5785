/**
 * Typed errors that services throw; one handler (http/error-handler.ts) answers them.
 * `messageKey` is an i18n key so the user reads the reason in their own language.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

export class BadRequest extends AppError {
  constructor(messageKey = 'errors.badRequest', params: Record<string, unknown> = {}, details?: unknown) {
    super(400, messageKey, params, details);
  }
}

/** A form that failed validation: field → i18n key. Pages re-render with the messages. */
export class ValidationFailed extends AppError {
  constructor(readonly fields: Record<string, string>) {
    super(422, 'errors.validation', {}, fields);
  }
}

export class Unauthorized extends AppError {
  constructor(messageKey = 'errors.unauthorized') {
    super(401, messageKey);
  }
}

export class Forbidden extends AppError {
  constructor(messageKey = 'errors.forbidden') {
    super(403, messageKey);
  }
}

export class NotFound extends AppError {
  constructor(what = 'page') {
    super(404, 'errors.notFound', { what });
  }
}

export class Conflict extends AppError {
  constructor(messageKey = 'errors.conflict', params: Record<string, unknown> = {}) {
    super(409, messageKey, params);
  }
}

export class TooManyRequests extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    messageKey = 'errors.tooMany',
  ) {
    super(429, messageKey, { minutes: Math.ceil(retryAfterSeconds / 60) });
  }
}
