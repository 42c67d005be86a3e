import { jsonNestingDepth } from './request-body';
import { findUnstorableText } from './validation';

const depthOf = (text: string) => jsonNestingDepth(Buffer.from(text, 'utf8'));

describe('jsonNestingDepth', () => {
  it('counts objects and arrays, not what stands inside strings', () => {
    expect(depthOf('1')).toBe(0);
    expect(depthOf('{"a":[{"b":1}]}')).toBe(3);
    expect(depthOf('{"a":"[[[{{{"}')).toBe(1);
    expect(depthOf('{"a":"a quote \\" then [[["}')).toBe(1);
    expect(depthOf('{"a":"ends with a backslash \\\\","b":[[1]]}')).toBe(3);
  });

  it('stops reading once the bound is passed', () => {
    expect(jsonNestingDepth(Buffer.from('['.repeat(10_000)), 32)).toBe(33);
  });
});

describe('findUnstorableText', () => {
  it('names the path of a NUL character or an unpaired surrogate, in values and in keys', () => {
    expect(findUnstorableText({ note: 'fine', items: ['ok', 'bad\u0000'] }, '')).toBe('items[1]');
    expect(findUnstorableText({ nested: { text: '\udc00' } }, '')).toBe('nested.text');
    expect(findUnstorableText({ nested: { ['k\u0000']: 1 } }, '')).toBe('nested');
    expect(findUnstorableText('\ud800', 'serviceId')).toBe('serviceId');
  });

  it('accepts paired surrogates (emoji) and ordinary text', () => {
    expect(findUnstorableText({ note: 'ciao 👋 — così' }, '')).toBeUndefined();
  });
});
