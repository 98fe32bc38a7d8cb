// SIGINT/SIGTERM → abort the experiment (in-flight requests aborted, a valid `cancelled` TR written,
// exit 130). A second signal exits at once.
export function abortOnSignals(ac: AbortController, onFirst: (sig: string) => void): () => void {
  let seen = 0;
  const handler = (sig: NodeJS.Signals): void => {
    seen++;
    if (seen === 1) {
      onFirst(sig);
      ac.abort(new Error(`interrupted by ${sig}`));
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
