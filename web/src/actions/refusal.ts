import { ApiError } from '../api';

export interface Refusal { message: string; reason?: string | undefined; policy?: string | undefined }

export const refusalOf = (e: unknown): Refusal =>
  e instanceof ApiError ? { message: e.message, reason: e.reason, policy: e.policy } : { message: 'The server could not be reached.' };
