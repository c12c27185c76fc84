import type { Metadata } from 'next';
import { InviteView } from '../../../components/invite-view';

export const metadata: Metadata = { title: 'Join a team' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className="login-page">
      <InviteView token={token} />
    </main>
  );
}
