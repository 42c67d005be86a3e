import { join } from 'node:path';
// Imported (not only read from disk) so that the TypeScript build copies the JSON next to the compiled code.
import sampleDocument from './sample-directory.json';

/**
 * The bundled sample directory of Milan: illustrative entries ("(esempio)", `"sample": true`), not an official
 * list of services. Never refer anyone to them.
 */
export const SAMPLE_DIRECTORY_FILE = join(__dirname, 'sample-directory.json');

/** A fresh copy of the sample document (HSDS 3 JSON, this project's format). */
export function sampleDirectoryDocument(): unknown {
  return structuredClone(sampleDocument);
}
