'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { MissionStatus } from '@garrison/core';
import { statusLabel } from '../lib/format';
import { cx } from './ui';

/** A multi-select of mission statuses in a menu: arrows move, Space/Enter toggles, Escape closes. */
export function StatusFilter({ selected, onChange }: { selected: MissionStatus[]; onChange: (next: MissionStatus[]) => void }) {
  const label = selected.length === 0 ? 'Any status' : selected.length <= 2 ? selected.map(statusLabel).join(', ') : `${selected.length} statuses`;
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        aria-label={`Status filter: ${label}`}
        className={cx(
          'inline-flex h-9 min-w-36 items-center justify-between gap-2 rounded-md border border-border-strong bg-input px-2.5 text-sm',
          'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-focus',
        )}
        data-testid="status-filter"
      >
        <span className="truncate">{label}</span>
        <span aria-hidden="true" className="text-muted">
          ▾
        </span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={4} className="z-50 min-w-52 rounded-md border border-border bg-panel p-1 text-fg shadow-xl">
          <DropdownMenu.Label className="px-2 py-1.5 text-xs text-muted">Show missions that are</DropdownMenu.Label>
          {MissionStatus.options.map((status) => (
            <DropdownMenu.CheckboxItem
              key={status}
              checked={selected.includes(status)}
              onSelect={(event) => event.preventDefault()}
              onCheckedChange={(checked) => onChange(checked ? [...selected, status] : selected.filter((entry) => entry !== status))}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-subtle"
            >
              <span className="w-3" aria-hidden="true">
                <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
              </span>
              {statusLabel(status)}
            </DropdownMenu.CheckboxItem>
          ))}
          {selected.length > 0 ? (
            <>
              <DropdownMenu.Separator className="my-1 h-px bg-border" />
              <DropdownMenu.Item onSelect={() => onChange([])} className="cursor-pointer rounded px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-subtle">
                Any status
              </DropdownMenu.Item>
            </>
          ) : null}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
