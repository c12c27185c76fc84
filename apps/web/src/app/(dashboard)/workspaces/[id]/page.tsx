import type { Metadata } from 'next';
import { WorkspaceView } from '../../../../components/workspace-view';

export const metadata: Metadata = { title: 'Workspace' };

export default async function WorkspacePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Keyed by id: another workspace starts from a fresh terminal and file browser.
  return <WorkspaceView key={id} workspaceId={id} />;
}
