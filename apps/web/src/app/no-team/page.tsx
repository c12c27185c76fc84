import type { Metadata } from 'next';
import { NoTeamView } from '../../components/no-team-view';

export const metadata: Metadata = { title: 'No team yet' };

export default function NoTeamPage() {
  return (
    <main className="login-page">
      <NoTeamView />
    </main>
  );
}
