/**
 * A personal value encrypted outside the domain with the case's own key. The domain only carries it around;
 * erasing the key (crypto-shredding) makes every copy unreadable.
 */
export interface Sealed {
  readonly keyId: string;
  readonly ciphertext: string;
}

export function isSealed(value: unknown): value is Sealed {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Sealed).keyId === 'string' &&
    typeof (value as Sealed).ciphertext === 'string'
  );
}

/** A sealed value found inside a larger structure, with the dotted path that leads to it. */
export interface SealedValueAt {
  readonly path: string;
  readonly value: Sealed;
}

/** Every sealed value inside `value`, depth first. */
export function findSealedValues(value: unknown, path = ''): SealedValueAt[] {
  if (isSealed(value)) return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => findSealedValues(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => findSealedValues(item, path ? `${path}.${key}` : key));
  }
  return [];
}
