import type { Principal } from '@helpline/auth';
import type { CommandContext } from '@helpline/command-handling';

/** What a safety command brings besides its own fields: the command path's context, with the platform's principal. */
export type SafetyCommandContext = CommandContext<Principal>;
