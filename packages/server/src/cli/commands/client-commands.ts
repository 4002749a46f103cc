/** The client commands (keys, aliases, data): each talks to CUSTOS_ADDR with CUSTOS_TOKEN. */
import type { Command } from '../command.js';
import {
  aliasCreateCommand,
  aliasDeleteCommand,
  aliasListCommand,
  aliasUpdateCommand,
} from './alias.js';
import { dataKeyCommand } from './data-key.js';
import { decryptCommand } from './decrypt.js';
import { encryptCommand } from './encrypt.js';
import { keyCreateCommand } from './key-create.js';
import { keyDescribeCommand } from './key-describe.js';
import {
  keyCancelDeletionCommand,
  keyDisableCommand,
  keyEnableCommand,
  keyRotateCommand,
  keyScheduleDeletionCommand,
} from './key-lifecycle.js';
import { keyListCommand } from './key-list.js';
import { keyTagCommand, keyUntagCommand, keyUpdateCommand } from './key-update.js';
import {
  keyVersionCompromiseCommand,
  keyVersionDisableCommand,
  keyVersionEnableCommand,
} from './key-version.js';
import { randomCommand } from './random.js';
import { ACCESS_KEY_COMMANDS } from './access-key.js';
import { POLICY_COMMANDS } from './policy.js';
import { PRINCIPAL_COMMANDS } from './principal.js';
import { TOKEN_COMMANDS } from './token.js';
import { signCommand } from './sign.js';
import { verifyCommand } from './verify.js';

export const CLIENT_COMMANDS: readonly Command[] = [
  keyCreateCommand,
  keyListCommand,
  keyDescribeCommand,
  keyUpdateCommand,
  keyTagCommand,
  keyUntagCommand,
  keyRotateCommand,
  keyEnableCommand,
  keyDisableCommand,
  keyScheduleDeletionCommand,
  keyCancelDeletionCommand,
  keyVersionDisableCommand,
  keyVersionEnableCommand,
  keyVersionCompromiseCommand,
  aliasCreateCommand,
  aliasUpdateCommand,
  aliasDeleteCommand,
  aliasListCommand,
  encryptCommand,
  decryptCommand,
  signCommand,
  verifyCommand,
  dataKeyCommand,
  randomCommand,
  ...ACCESS_KEY_COMMANDS,
  ...PRINCIPAL_COMMANDS,
  ...TOKEN_COMMANDS,
  ...POLICY_COMMANDS,
];
