#!/usr/bin/env node
// The `custos` binary (packages/server/dist/cli/main.js). Each command lives
// in its own file under commands/; add a command by adding it to COMMANDS.
import type { CliIo, Command } from './command.js';
import { auditExportCommand } from './commands/audit-export.js';
import { auditTailCommand } from './commands/audit-tail.js';
import { auditVerifyCommand } from './commands/audit-verify.js';
import { CLIENT_COMMANDS } from './commands/client-commands.js';
import { initCommand } from './commands/init.js';
import { sealCommand, unsealCommand } from './commands/operator.js';
import { serverCommand } from './commands/server.js';
import { statusCommand } from './commands/status.js';
import { dispatch } from './dispatch.js';

const COMMANDS: readonly Command[] = [
  serverCommand,
  initCommand,
  statusCommand,
  unsealCommand,
  sealCommand,
  ...CLIENT_COMMANDS,
  auditTailCommand,
  auditExportCommand,
  auditVerifyCommand,
];

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: process.stdin.isTTY && process.stderr.isTTY,
};

process.exitCode = await dispatch(COMMANDS, process.argv.slice(2), io);
