import { useEffect } from 'react';
import { useLocation } from 'react-router';

/**
 * After a navigation inside the console, the keyboard's focus goes to the page's main content (not left on a link
 * or a button the new page no longer has, which would send the next Tab back to the top of the document).
 */
export function FocusOnNavigation({ targetId }: { targetId: string }) {
  const { pathname } = useLocation();
  useEffect(() => {
    // The first page after signing in gets it too: the sign-in button it came from is gone.
    document.getElementById(targetId)?.focus();
  }, [pathname, targetId]);
  return null;
}

/** Moves the focus to an element once it is on the page (a heading with tabIndex -1: read out, then Tab on). */
export function focusWhenShown(id: string): void {
  const tryFocus = (attempts: number) => {
    const element = document.getElementById(id);
    if (element) element.focus();
    else if (attempts > 0) requestAnimationFrame(() => tryFocus(attempts - 1));
  };
  tryFocus(60);
}
