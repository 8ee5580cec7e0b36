/** Where a recording ends up and how much it holds. */
export interface RecordingSummary {
  readonly location: string;
  readonly bytes: number;
  readonly durationMs: number;
}

/** A recording under way: media or events appended in order, then finished once. */
export interface Recording {
  append(chunk: Uint8Array): Promise<void>;
  finish(): Promise<RecordingSummary>;
}

/**
 * Records a session at the technician's side, which sees the plaintext anyway. Promises: a
 * finished recording is complete and, where policy forces central storage, uploaded signed and
 * encrypted; a failure to record is reported, never ignored, since policy may forbid a session
 * that cannot be recorded.
 */
export interface Recorder {
  start(sessionId: string, format: string): Promise<Recording>;
}

/** Token of the {@link Recorder} contract. */
export const Recorder = Symbol.for('tether.Recorder');
