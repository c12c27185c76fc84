import type { Metadata } from 'next';
import { ReviewView } from '../../../../../components/review-view';

export const metadata: Metadata = { title: 'Review' };

export default async function MissionReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ReviewView key={id} missionId={id} />;
}
