import { readFileSync } from 'node:fs';

/**
 * The server package's version, read once from its package.json (two levels
 * up from both src/ops and dist/ops), for /health, /sys/status and `--version`.
 */
export const VERSION: string = readVersion();

function readVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed) {
      return typeof parsed.version === 'string' ? parsed.version : 'unknown';
    }
    return 'unknown';
  } catch {
    // A repackaged build without package.json still runs; it just cannot say which it is.
    return 'unknown';
  }
}
