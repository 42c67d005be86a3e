/**
 * Where the OpenID provider sends the browser back to the console: with the code after signing in, and after
 * signing out. The provider's client must list both (infra/keycloak/comune-milano-realm.json does, for
 * PUBLIC_BASE_URL; test/infra/keycloak-realm.e2e-spec.ts checks it).
 */
export const SIGNED_IN_PATH = '/console/signed-in';
export const SIGNED_OUT_PATH = '/console/signed-out';
