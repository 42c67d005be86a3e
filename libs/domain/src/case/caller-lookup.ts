/**
 * The one character of a caller pseudonym that a call-back keeps in clear (its last, six bits of the keyed hash):
 * finding the cases of a number reads only the cases with the same hint, about 1/64 of them, and opens their
 * sealed pseudonyms. Six bits confirm no number: a guessed number shares its hint with one case in 64 by chance.
 */
export function callerLookupHintOf(pseudonym: string): string {
  return pseudonym.slice(-1);
}
