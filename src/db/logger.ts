import { pino, type Logger } from 'pino';

/**
 * Creates a logger for command-line runs: JSON lines on standard error, so they never mix with a
 * command's output. The level comes from `WAYMARK_LOG_LEVEL` (default `warn`). Writes are
 * synchronous so that the last line before a crash or kill reaches the terminal.
 */
export function createCommandLogger(name: string): Logger {
  return pino({ name, level: process.env['WAYMARK_LOG_LEVEL'] ?? 'warn' }, pino.destination({ fd: 2, sync: true }));
}
