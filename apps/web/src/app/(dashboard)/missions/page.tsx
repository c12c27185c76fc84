import type { Metadata } from 'next';
import { Suspense } from 'react';
import { MissionsBoard } from '../../../components/missions-board';
import { Loading } from '../../../components/ui';

export const metadata: Metadata = { title: 'Missions' };

// The board reads its filters from the URL (useSearchParams), which needs a Suspense boundary.
export default function MissionsPage() {
  return (
    <Suspense fallback={<Loading label="Loading missions…" />}>
      <MissionsBoard />
    </Suspense>
  );
}
