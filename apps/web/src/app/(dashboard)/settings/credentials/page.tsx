import type { Metadata } from 'next';
import { CredentialsSettings } from '../../../../components/settings/credentials-settings';

export const metadata: Metadata = { title: 'Credentials · Settings' };

export default function CredentialsSettingsPage() {
  return <CredentialsSettings />;
}
