import { InvalidInputError } from '../core/errors.js';
import { isAliasName } from '../core/ids.js';

export function checkAliasName(name: string): void {
  if (typeof name !== 'string' || !isAliasName(name)) {
    throw new InvalidInputError(
      'alias names look like alias/name: letters, digits, / _ -, at most 256 characters; alias/aws/ and alias/custos/ are reserved',
    );
  }
}
