import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The deployment files of infra/, read as the tools that run them would. */
export const repositoryRoot = join(__dirname, '..', '..');
export const infraFile = (...path: string[]) => join(repositoryRoot, 'infra', ...path);

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly command?: string[];
  readonly entrypoint?: string[];
  readonly environment?: Record<string, string>;
  readonly secrets?: string[];
  readonly volumes?: string[];
  readonly ports?: string[];
  readonly healthcheck?: { readonly test: string[] };
}

export interface ComposeFile {
  readonly services: Record<string, ComposeService>;
  readonly secrets: Record<string, { readonly file: string }>;
  readonly volumes: Record<string, unknown>;
}

/** compose.yaml with its anchors and `<<` merges resolved, as Docker Compose reads it. */
export function readCompose(): ComposeFile {
  return parse(readFileSync(infraFile('compose.yaml'), 'utf8'), { merge: true }) as ComposeFile;
}

/** The Dockerfile's instructions of its last stage (the image that runs), continuation lines joined. */
export function finalStageInstructions(): Array<{ readonly instruction: string; readonly argument: string }> {
  const text = readFileSync(infraFile('Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const instructions = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [instruction, ...rest] = line.split(/\s+/);
      return { instruction: instruction!.toUpperCase(), argument: rest.join(' ') };
    });
  const lastFrom = instructions.map((each) => each.instruction).lastIndexOf('FROM');
  return instructions.slice(lastFrom);
}

/** An exec-form argument (`["node", "…"]`) as its list of words. */
export function execForm(argument: string): string[] {
  const words: unknown = JSON.parse(argument);
  if (!Array.isArray(words) || !words.every((word) => typeof word === 'string'))
    throw new Error(`not an exec-form list: ${argument}`);
  return words;
}
