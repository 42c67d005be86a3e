import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'design-react-kit';

export interface CursorPages<Cursor> {
  /** The cursor of the page on screen (undefined: the first page). */
  readonly after: Cursor | undefined;
  /** 1 for the first page. */
  readonly number: number;
  next(cursor: Cursor): void;
  previous(): void;
  /** Back to the first page (a new search, a new filter). */
  reset(): void;
}

/**
 * A listing read page by page with the API's cursor (`after`, or `before` for the access logs): only the page on
 * screen is ever loaded, however long the listing; the cursors of the pages seen are kept to go back.
 */
export function useCursorPages<Cursor = string>(): CursorPages<Cursor> {
  const [cursors, setCursors] = useState<Array<Cursor | undefined>>([undefined]);
  return {
    after: cursors[cursors.length - 1],
    number: cursors.length,
    next: (cursor) => setCursors((seen) => [...seen, cursor]),
    previous: () => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)),
    reset: () => setCursors([undefined]),
  };
}

/** Previous and next page, with the page's number; nothing when everything fits on one page. */
export function PageButtons<Cursor>({
  pages,
  nextCursor,
}: {
  pages: CursorPages<Cursor>;
  nextCursor: Cursor | null | undefined;
}) {
  const { t } = useTranslation();
  if (pages.number === 1 && (nextCursor === null || nextCursor === undefined)) return null;
  return (
    <nav className="d-flex gap-2 align-items-center my-3" aria-label={t('app.pages')}>
      <Button color="secondary" outline size="sm" disabled={pages.number === 1} onClick={() => pages.previous()}>
        {t('app.previous')}
      </Button>
      <span aria-live="polite">{t('app.pageNumber', { number: pages.number })}</span>
      <Button
        color="secondary"
        outline
        size="sm"
        disabled={nextCursor === null || nextCursor === undefined}
        onClick={() => nextCursor !== null && nextCursor !== undefined && pages.next(nextCursor)}
      >
        {t('app.next')}
      </Button>
    </nav>
  );
}
