import { CONCERNS, DomainError } from '@helpline/domain';
import { DirectoryValidationError } from './directory.errors';
import { CONCERNS_TREATED, MUNICIPI } from './directory.vocabularies';

describe('directory vocabularies', () => {
  it("treat exactly the case domain's substance and behaviour concerns (not its 'other' and 'not_stated')", () => {
    expect([...CONCERNS_TREATED]).toEqual(
      CONCERNS.filter((concern) => concern !== 'other' && concern !== 'not_stated'),
    );
  });

  it('refuse with errors the domain exception filter already maps', () => {
    const error = new DirectoryValidationError('name', 'is required');
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'DIRECTORY_VALIDATION',
      kind: 'invalid',
      field: 'name',
      reason: 'is required',
      name: 'DirectoryValidationError',
    });
  });

  it("list Milan's nine municipi", () => {
    expect(MUNICIPI).toEqual(Array.from({ length: 9 }, (_, index) => `municipio_${index + 1}`));
  });
});
