import { SignJWT } from 'jose';
import { InvalidTokenError, mintDevelopmentToken, TokenVerifier } from './token.service';

const SECRET = 'token-verifier-spec-secret-long-enough-for-hs256';
const START = Date.parse('2026-12-05T09:00:00Z');

function verifierAt(clock: { now: number }, cacheSize = 1000): TokenVerifier {
  return new TokenVerifier({ kind: 'hs256', secret: SECRET }, { now: () => clock.now, cacheSize });
}

async function tokenFor(sub: string, issuedAt: number, expiresIn: number): Promise<string> {
  return new SignJWT({ role: 'operator', lines: ['sostienimi'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(Math.floor(issuedAt / 1000))
    .setExpirationTime(Math.floor(issuedAt / 1000) + expiresIn)
    .sign(new TextEncoder().encode(SECRET));
}

describe('TokenVerifier keeps a verified token until it expires', () => {
  it('answers the same principal again while the token is valid, and refuses it once expired', async () => {
    const clock = { now: START };
    const verifier = verifierAt(clock);
    const token = await tokenFor('operator-1', START, 60);

    const first = await verifier.verify(token);
    clock.now = START + 59_000;
    expect(await verifier.verify(token)).toBe(first);

    clock.now = START + 60_000;
    await expect(verifier.verify(token)).rejects.toThrow(new InvalidTokenError('the token has expired'));
  });

  it('never keeps a token that failed, nor answers a token from another one', async () => {
    const clock = { now: START };
    const verifier = verifierAt(clock);
    const good = await tokenFor('operator-1', START, 3600);
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(43)}`;

    await expect(verifier.verify(forged)).rejects.toThrow(InvalidTokenError);
    expect((await verifier.verify(good)).id).toBe('operator-1');
    await expect(verifier.verify(forged)).rejects.toThrow(InvalidTokenError);
    const other = await mintDevelopmentToken(SECRET, { sub: 'operator-2', role: 'operator' });
    expect((await verifier.verify(other)).id).toBe('operator-2');
  });

  it('verifies a long-lived token again after the cache horizon, and holds at most its size', async () => {
    const clock = { now: START };
    const verifier = new TokenVerifier(
      { kind: 'hs256', secret: SECRET, audience: 'helpline' },
      { now: () => clock.now, cacheSize: 2, cacheMaxAgeMs: 1000 },
    );
    const withAudience = (sub: string) =>
      new SignJWT({ role: 'operator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setAudience('helpline')
        .setExpirationTime(Math.floor(START / 1000) + 3600)
        .sign(new TextEncoder().encode(SECRET));
    const tokens = await Promise.all(['a', 'b', 'c'].map(withAudience));
    const principals = [];
    for (const token of tokens) principals.push(await verifier.verify(token));

    // 'a' was pushed out by 'c' (size 2): verified again, a new principal; 'c' still kept.
    expect(await verifier.verify(tokens[2]!)).toBe(principals[2]);
    expect(await verifier.verify(tokens[0]!)).not.toBe(principals[0]);
    clock.now = START + 1000;
    expect(await verifier.verify(tokens[2]!)).not.toBe(principals[2]);
    expect((await verifier.verify(tokens[2]!)).id).toBe('c');
  });
});
