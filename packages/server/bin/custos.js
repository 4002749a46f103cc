#!/usr/bin/env node
// The `custos` command. A committed file rather than dist/cli/main.js itself:
// npm links a bin at install time only if its file exists then, and dist/ is
// built after `npm ci`.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (
    error?.code === 'ERR_MODULE_NOT_FOUND' &&
    String(error.message).includes('dist/cli/main.js')
  ) {
    process.stderr.write('custos: not built yet; run `npm run build` first\n');
    process.exitCode = 1;
  } else {
    throw error;
  }
}
