import { afterEach, beforeEach, vi } from 'vitest';

/**
 * What the CLI writes to stdout and stderr in each test of the calling file (reset before each,
 * the real streams restored after). Call it at the top level of a test file.
 */
export function captureOutput(): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  beforeEach(() => {
    out.stdout = '';
    out.stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      out.stderr += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return out;
}
