import type { Metadata } from 'next';
import { AccountSettings } from '../../../../components/settings/account-settings';

export const metadata: Metadata = { title: 'Your account · Settings' };

export default function AccountSettingsPage() {
  return <AccountSettings />;
}
