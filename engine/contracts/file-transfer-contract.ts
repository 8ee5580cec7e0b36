/** What is known of a file before its bytes move. */
export interface FileOffer {
  readonly sessionId: string;
  readonly name: string;
  readonly size: number;
  /** SHA-256 of the content, hex; checked by the receiver when the transfer ends. */
  readonly sha256: string;
}

/** The progress and end of one transfer. */
export interface FileTransferHandle {
  readonly id: string;
  /** Bytes received and verified so far. */
  readonly transferred: number;
  /** Resolves when every byte arrived and the hash matched; rejects otherwise. */
  done(): Promise<void>;
  cancel(): Promise<void>;
}

/**
 * Moves files between technician and end user over the session's encrypted channel, resumable
 * after a reconnect. Promises: a completed transfer has the offered size and hash; the engine
 * learns only name, size and hash, sent by the technician side for the session log.
 */
export interface FileTransfer {
  send(offer: FileOffer, content: AsyncIterable<Uint8Array>): Promise<FileTransferHandle>;
}

/** Token of the {@link FileTransfer} contract. */
export const FileTransfer = Symbol.for('tether.FileTransfer');
