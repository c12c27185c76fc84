import { FILE_EDIT_TOOLS, type FileChange, type ListMissionFilesQuery, type MissionFileTouch } from '@garrison/core';
import { listToolCallsNamed, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { getTeamMission } from './mission.service.ts';

/**
 * Files the mission's agent wrote or edited, as its tool calls asked (the workspace MCP's
 * write_file/edit_file and each CLI's own edit tools), sorted by path and paged. A call whose
 * input names no path is skipped. A mission in a repository branch answers from git instead (source 'git').
 */
export async function listTeamMissionFiles(db: Db, caller: Caller, missionId: string, query: ListMissionFilesQuery) {
  const mission = await getTeamMission(db, caller, missionId);
  // A mission in a repository branch has git's word for it, recorded when it ended (issue 9).
  if (mission.repositoryId && Array.isArray(mission.filesChanged)) return pageOf(mission.filesChanged as unknown as FileChange[], query, 'git' as const);
  const calls = await listToolCallsNamed(db, missionId, Object.keys(FILE_EDIT_TOOLS));
  const byPath = new Map<string, MissionFileTouch>();
  for (const call of calls) {
    for (const touch of FILE_EDIT_TOOLS[call.name]?.(call.input) ?? []) {
      const seen = byPath.get(touch.path);
      const failed = call.isError === true ? 1 : 0;
      if (seen) byPath.set(touch.path, { ...seen, operation: touch.operation, count: seen.count + 1, failed: seen.failed + failed, lastSeq: call.seq });
      else byPath.set(touch.path, { path: touch.path, operation: touch.operation, count: 1, failed, lastSeq: call.seq });
    }
  }
  return pageOf([...byPath.values()], query, 'tool_calls' as const);
}

function pageOf<T extends { path: string }, S extends string>(all: T[], query: ListMissionFilesQuery, source: S) {
  const sorted = [...all].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const from = query.after === undefined ? 0 : sorted.findIndex((file) => file.path > query.after!);
  const files = from === -1 ? [] : sorted.slice(from, from + query.limit);
  const more = from !== -1 && from + query.limit < sorted.length;
  return { files, total: sorted.length, nextAfter: more ? files.at(-1)!.path : null, source };
}
