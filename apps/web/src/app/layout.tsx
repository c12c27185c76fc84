import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import '../styles/base.css';
import '../styles/badges.css';
import '../styles/pages.css';
import '../styles/mission.css';
import '../styles/workspace.css';

export const metadata: Metadata = {
  title: { default: 'Garrison', template: '%s · Garrison' },
  description: 'Self-hosted mission control for AI coding agents.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
