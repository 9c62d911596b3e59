/**
 * A page's chunk, fetched once: the same promise for its route's lazy() and for an early start
 * (App.tsx preloadPage, called by main.tsx for the page being opened).
 */
export function pageChunk<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => (loading ??= load());
}
