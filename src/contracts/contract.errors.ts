import { LotseError } from '../common/errors.js';

/** 409: the request conflicts with what the contract already records (terminated, confirmed, decided). */
export class ContractConflict extends LotseError {
  readonly status = 409;
  readonly title = 'Conflicts with the contract record';
  constructor(rule: string, message: string, details: Record<string, unknown> = {}) {
    super(message, rule, details);
  }
}
