'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cx } from '../ui';

export const SETTINGS_SECTIONS = [
  { slug: 'credentials', label: 'Credentials' },
  { slug: 'templates', label: 'Templates' },
  { slug: 'members', label: 'Members' },
  { slug: 'invites', label: 'Invites' },
  { slug: 'tokens', label: 'API tokens' },
  { slug: 'audit', label: 'Audit log' },
  { slug: 'account', label: 'Your account' },
  { slug: 'team', label: 'Team' },
] as const;

/** Each section has its own URL, so a link (or a reload) lands on the same section. */
export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings sections" className="lg:w-48 lg:shrink-0">
      <ul className="flex flex-wrap gap-1 lg:flex-col">
        {SETTINGS_SECTIONS.map((section) => {
          const href = `/settings/${section.slug}`;
          const active = pathname === href;
          return (
            <li key={section.slug}>
              <Link
                href={href}
                aria-current={active ? 'page' : undefined}
                className={cx(
                  'block rounded-md px-3 py-1.5 text-sm font-medium no-underline focus-visible:outline-2 focus-visible:outline-focus',
                  active ? 'bg-subtle text-fg' : 'text-muted hover:bg-subtle hover:text-fg',
                )}
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
