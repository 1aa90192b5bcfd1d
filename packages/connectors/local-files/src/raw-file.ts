import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { type FileHandle, open, rename, rm, stat } from 'node:fs/promises';
import { LineBytes } from '@ferry/protocol';
import type { RawFormat } from './format.ts';

/**
 * Lines are encoded as they come into buffers of this size, each written whole: one write per batch, and no
 * long string for the write to flatten and encode first (that was a fifth of the destination's time).
 */
const BATCH_BYTES = 256 * 1024;

export interface RawFile {
  /**
   * Buffers a record, its `data` given as JSON; returns a promise only when it had to write a batch
   * (await it: backpressure).
   */
  append(emittedAt: number, dataJson: string): undefined | Promise<void>;
  /** Resolves once every appended record has been handed to the OS. */
  flush(): Promise<void>;
  /** Makes the records the file's content: syncs, closes, and for overwrite renames over the old file. */
  commit(): Promise<void>;
  /** Leaves the previous file as it was (overwrite) or with what was flushed (append). */
  abort(): Promise<void>;
}

async function isEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size === 0;
  } catch {
    return true;
  }
}

/** Temporary files of overwritten streams neither committed nor aborted yet. */
const temporaries = new Set<string>();
let removingOnStop = false;

/**
 * A cancel or timeout stops the connector with SIGTERM, which by default ends Node at once, leaving a partial
 * temporary file beside the output for good. On SIGTERM the temporaries are removed, then the signal ends the
 * process as it would have (the listener is gone by then).
 */
function removeOnStop(file: string) {
  temporaries.add(file);
  if (removingOnStop) return;
  removingOnStop = true;
  process.once('SIGTERM', () => {
    for (const f of temporaries) rmSync(f, { force: true });
    process.kill(process.pid, 'SIGTERM');
  });
}

/**
 * Opens the raw file of one stream. Overwrite writes to a temporary file renamed at commit, so a failed or
 * cancelled sync leaves the previous content whole; append adds to the file, with a header if it is new.
 */
export async function openRawFile(target: string, format: RawFormat, overwrite: boolean): Promise<RawFile> {
  const file = overwrite ? `${target}.${process.pid}.${Date.now()}.tmp` : target;
  if (overwrite) removeOnStop(file);
  let handle: FileHandle | undefined = await open(file, overwrite ? 'w' : 'a');
  const lines = new LineBytes();
  lines.start(BATCH_BYTES);

  /** Writes what the batch holds, and starts the next. */
  const writeBatch = async () => {
    if (lines.length === 0) return;
    const chunk = lines.take();
    lines.start(BATCH_BYTES);
    if (handle) await handle.write(chunk);
  };
  // A line longer than a whole batch goes alone into a batch grown for it.
  const add = (text: string): undefined | Promise<void> => {
    const written = lines.length > 0 && !lines.fits(text) ? writeBatch() : undefined;
    lines.add(text);
    return written;
  };
  if (format.header && (overwrite || (await isEmpty(file)))) add(format.header);

  return {
    append(emittedAt, dataJson) {
      return add(format.line(randomUUID(), emittedAt, dataJson));
    },
    flush: writeBatch,
    async commit() {
      await writeBatch();
      await handle!.datasync();
      await handle!.close();
      handle = undefined;
      if (overwrite) await rename(file, target);
      temporaries.delete(file);
    },
    async abort() {
      lines.start(0); // what the batch holds is dropped
      await handle?.close().catch(() => {});
      handle = undefined;
      if (overwrite) await rm(file, { force: true });
      temporaries.delete(file);
    },
  };
}
