import type { RunCoordinator } from './coordinator';

/**
 * The service's last resort: an error no code caught (`uncaughtException`, `unhandledRejection`) is logged, the run
 * under way is marked Failed with it as the cause (in memory and in the org) and stopped, and the service keeps
 * serving: the queued run starts and new requests are accepted. Node's default for both is to exit, which would
 * leave the run Running until its heartbeat went stale and drop every queued request. Returns the uninstaller.
 */
export function installLastResort(
  coordinator: RunCoordinator,
  log: (message: string) => void = (message) => console.error(message)
): () => void {
  const handle = (origin: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    const cause = `${origin}: ${error instanceof Error ? error.message : String(error)}`;
    log(`capacity service: ${origin}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    coordinator.failCurrent(cause).then(
      (run) =>
        log(run ? `capacity service: run ${run.runId} marked Failed (${cause})` : 'capacity service: no run under way'),
      (recordError: unknown) =>
        log(
          `capacity service: the run was stopped, but its failure could not be recorded in Salesforce: ${(recordError as Error).message}`
        )
    );
  };
  const onException = handle('uncaughtException');
  const onRejection = handle('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
