/**
 * Runs an async task one at a time, and once more after a burst of requests. For the dev
 * server's content reload: one save can arrive as several change events, and every reload
 * reads and renders all the content. Reloads side by side multiplied that work and could
 * finish out of order, leaving the store with the older read.
 *
 * A call while no run is going starts one. Calls made during a run share a single run that
 * starts when it ends: it reads everything saved before those calls. Each call's promise
 * settles as the run that serves it does.
 */
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const run = task();
    current = run;
    const done = () => {
      if (current === run) current = undefined;
    };
    run.then(done, done);
    return run;
  };
  const ignore = () => undefined;
  return () => {
    if (!current) return start();
    queued ??= current.then(ignore, ignore).then(() => {
      queued = undefined;
      // A run begun since the previous one ended also started after these calls.
      return current ?? start();
    });
    return queued;
  };
}
