// A progress line on a terminal (or a line per 10% when not a terminal, so CI logs stay short).
export interface ProgressBar {
  update: (done: number, total: number, stage: string) => void;
  done: () => void;
}

export function progressBar(out: NodeJS.WriteStream): ProgressBar {
  const started = Date.now();
  let lastTenth = -1;
  return {
    update: (done, total, stage) => {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (out.isTTY) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        out.write(
          `\r${stage.padEnd(14)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done}/${total} ${secs}s`,
        );
      } else if (Math.floor(pct / 10) !== lastTenth) {
        lastTenth = Math.floor(pct / 10);
        out.write(`${stage} ${pct}% (${done}/${total}) ${secs}s\n`);
      }
    },
    done: () => {
      if (out.isTTY) out.write('\n');
    },
  };
}
