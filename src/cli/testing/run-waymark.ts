import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place in dist/src/cli/testing/. */
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const binPath = fileURLToPath(new URL('../../../../bin/waymark.js', import.meta.url));

export interface WaymarkRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `waymark` command as a user would, with optional standard input. */
export function runWaymark(args: readonly string[], options: { input?: string; cwd?: string } = {}): WaymarkRun {
  const result = spawnSync(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repositoryRoot,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Splits an output into lines, dropping the empty string after the final line break. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Reports whether the text looks like a JavaScript stack trace, which expected failures must never print. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[:(]/m.test(text);
}
