import { AppError } from '../../platform/errors.js';

/** 405 with the methods a resource does answer. */
export class MethodNotAllowed extends AppError {
  constructor(
    method: string,
    readonly allow: string,
  ) {
    super(405, 'lrs:errors.methodNotAllowed', { method, allow });
  }
}
