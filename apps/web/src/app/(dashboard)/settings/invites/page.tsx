import type { Metadata } from 'next';
import { InvitesSettings } from '../../../../components/settings/invites-settings';

export const metadata: Metadata = { title: 'Invites · Settings' };

export default function InvitesSettingsPage() {
  return <InvitesSettings />;
}
