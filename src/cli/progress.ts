import cliProgress from 'cli-progress';

/** Files larger than this many bytes get a progress bar, because they take more than a moment to check. */
export const progressThresholdBytes = 5 * 1024 * 1024;

export interface Progress {
  update(bytesRead: number): void;
  stop(): void;
}

const noProgress: Progress = { update: () => undefined, stop: () => undefined };

/** Decides whether to show a bar: only for a large file on a terminal, so piped or redirected output stays clean. */
export function shouldShowProgress(sizeBytes: number | undefined, stderrIsTerminal: boolean): boolean {
  return stderrIsTerminal && sizeBytes !== undefined && sizeBytes > progressThresholdBytes;
}

/** Starts a progress bar on standard error for a file of a known size, or returns one that does nothing. */
export function startProgress(sizeBytes: number | undefined): Progress {
  if (sizeBytes === undefined || !shouldShowProgress(sizeBytes, process.stderr.isTTY === true)) return noProgress;

  const totalMegabytes = toMegabytes(sizeBytes);
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'Checking [{bar}] {percentage}% | {readMegabytes} of {totalMegabytes} MB | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(sizeBytes, 0, { readMegabytes: '0.0', totalMegabytes });
  return {
    update: (bytesRead) => bar.update(Math.min(bytesRead, sizeBytes), { readMegabytes: toMegabytes(bytesRead), totalMegabytes }),
    stop: () => bar.stop(),
  };
}

function toMegabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
