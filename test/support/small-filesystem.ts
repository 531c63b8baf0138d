import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs of its own, mounted by the test (needs root or CAP_SYS_ADMIN), to fill up for real. */
export interface SmallFilesystem {
  dir: string;
  /** Writes a filler file until the file system is full. */
  fill(): void;
  /** Deletes the filler: the space is back. */
  free(): void;
  unmount(): void;
}

/**
 * Mounts a tmpfs of `megabytes`, or returns the reason it cannot. With LOTSE_REQUIRE_MOUNT=1 (CI) a failed mount
 * is an error, so the disk-full test can never be skipped there without anyone noticing.
 */
export function mountSmallFilesystem(megabytes: number): SmallFilesystem | string {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'lotse-test', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const reason = `cannot mount a tmpfs (${((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).trim()})`;
    if (process.env.LOTSE_REQUIRE_MOUNT === '1')
      throw new Error(`LOTSE_REQUIRE_MOUNT=1 but ${reason}`, { cause: error });
    return reason;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      unlinkSync(filler);
    },
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
