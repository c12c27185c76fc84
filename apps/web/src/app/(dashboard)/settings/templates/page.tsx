import type { Metadata } from 'next';
import { TemplatesSettings } from '../../../../components/settings/templates-settings';

export const metadata: Metadata = { title: 'Templates · Settings' };

export default function TemplatesSettingsPage() {
  return <TemplatesSettings />;
}
