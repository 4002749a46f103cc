import { KmsError } from '../core/errors.js';

/**
 * The configuration (file, CUSTOS_* variables or flags) is wrong. `custos
 * server` and `custos init` turn it into exit code 2 with this message, which
 * names the offending key or variable but never echoes a value.
 */
export class ConfigError extends KmsError {
  override readonly name = 'ConfigError';
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}
