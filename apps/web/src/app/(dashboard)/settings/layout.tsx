import type { ReactNode } from 'react';
import { SettingsNav } from '../../../components/settings/settings-nav';
import { PageHeader } from '../../../components/ui';

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <PageHeader title="Settings" description="Your team's provider keys, templates, people, invite links, API tokens and audit log." />
      <div className="flex flex-col gap-5 lg:flex-row">
        <SettingsNav />
        <div className="min-w-0 flex-1">{children}</div>
      </div>
    </>
  );
}
