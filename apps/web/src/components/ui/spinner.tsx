/** A small busy indicator with a text label for screen readers (and sighted readers: it shows). */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="flex items-center gap-2 py-6 text-sm text-muted" role="status" aria-live="polite">
      <span className="inline-block size-3.5 animate-spin rounded-full border-2 border-border-strong border-t-primary motion-reduce:animate-none" aria-hidden="true" />
      {label}
    </p>
  );
}
