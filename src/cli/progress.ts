/** Progress for long CLI runs: a line at most once a second, rewritten in place on a terminal. */
export function createProgress(write: (line: string) => void, label: string, stream: NodeJS.WriteStream = process.stderr) {
  let last = 0;
  const started = Date.now();
  return {
    tick(status: string, force = false): void {
      const now = Date.now();
      if (!force && now - last < 1000) return;
      last = now;
      const line = `${label}: ${status} (${((now - started) / 1000).toFixed(1)} s)`;
      if (stream.isTTY) stream.write(`\r${line}\x1b[K`);
      else write(line);
    },
    done(): void {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
