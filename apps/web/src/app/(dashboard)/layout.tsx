import type { ReactNode } from 'react';
import { AppShell } from '../../components/app-shell';
import { Providers } from '../../components/providers';

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <Providers>
      <AppShell>{children}</AppShell>
    </Providers>
  );
}
