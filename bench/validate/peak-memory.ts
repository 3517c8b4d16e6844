import { writeFileSync } from 'node:fs';

// Loaded with `node --import` into a benchmarked child process: when the child exits, it
// writes its peak resident set size (kilobytes, from process.resourceUsage) to the file
// named by WAYMARK_BENCH_MEMORY_FILE.

const target = process.env.WAYMARK_BENCH_MEMORY_FILE;
if (target !== undefined) {
  process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
}
