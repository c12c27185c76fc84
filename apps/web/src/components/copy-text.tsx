'use client';

import { useRef, useState } from 'react';
import { Button } from './ui';

/**
 * A read-only block of text to copy (a public key), with a Copy button. Where the browser gives no
 * clipboard (plain http on another host), the text is selected so Ctrl+C copies it.
 */
export function CopyText({ label, text, rows = 3 }: { label: string; text: string; rows?: number }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [note, setNote] = useState<string | null>(null);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      setNote('Copied.');
    } catch {
      area.current?.select();
      setNote('Selected: press Ctrl+C (⌘C) to copy.');
    }
  }

  return (
    <div className="space-y-1.5">
      <textarea
        ref={area}
        readOnly
        aria-label={label}
        value={text}
        rows={rows}
        spellCheck={false}
        onFocus={(event) => event.currentTarget.select()}
        className="block w-full resize-none rounded-md border border-border-strong bg-subtle p-2 font-mono text-xs break-all text-fg focus-visible:outline-2 focus-visible:outline-focus"
      />
      <div className="flex items-center gap-2">
        <Button size="sm" onClick={() => void copy()}>
          Copy
        </Button>
        <span className="text-xs text-muted" role="status" aria-live="polite">
          {note}
        </span>
      </div>
    </div>
  );
}
