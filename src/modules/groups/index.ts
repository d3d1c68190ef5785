// PLACEHOLDER: being built (groups and cohorts).
import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
export const groupsRoutes = (_ctx: AppContext) => Router();
