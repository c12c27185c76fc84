import type { Metadata } from 'next';
import { MissionView } from '../../../../components/mission-view';

export const metadata: Metadata = { title: 'Mission' };

export default async function MissionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Keyed by id: moving to another mission starts from a fresh log and connection.
  return <MissionView key={id} missionId={id} />;
}
