import { z } from 'zod';
import { AgentKind } from './agents.ts';
import { MissionStatus } from './mission-status.ts';

/** The missions board's query: GET /api/v1/missions filters, search, sort and pagination. */

export const MissionSortField = z.enum(['created', 'updated', 'duration', 'cost']);
export type MissionSortField = z.infer<typeof MissionSortField>;

export const MAX_MISSION_PAGE_SIZE = 100;
export const DEFAULT_MISSION_PAGE_SIZE = 50;

const statusList = z.string().transform((value, ctx): MissionStatus[] => {
  const parts = value.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  const unknown = parts.filter((part) => !MissionStatus.safeParse(part).success);
  if (parts.length === 0 || unknown.length > 0) {
    const what = unknown.length > 0 ? `has unknown status ${unknown.map((part) => `"${part}"`).join(', ')}` : 'must name at least one status';
    ctx.addIssue({ code: 'custom', message: `${what}; use a comma list of: ${MissionStatus.options.join(', ')}` });
    return z.NEVER;
  }
  return parts as MissionStatus[];
});

/** The board's review filter: missions whose branch waits for review, or was merged or discarded. */
export const MissionReviewFilter = z.enum(['ready_for_review', 'merged', 'discarded'], {
  error: 'must be one of: ready_for_review, merged, discarded',
});
export type MissionReviewFilter = z.infer<typeof MissionReviewFilter>;

const optionalId = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional();

export const ListMissionsQuery = z
  .object({
    workspaceId: optionalId,
    /** Comma list, e.g. `running,waiting_approval`. */
    status: statusList.optional(),
    agent: z.enum(AgentKind.options, { error: `must be one of: ${AgentKind.options.join(', ')}` }).optional(),
    authorId: optionalId,
    reviewStatus: MissionReviewFilter.optional(),
    /** Case-insensitive text in the prompt, or the start of a mission id. */
    q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    sort: MissionSortField.default('created'),
    order: z.enum(['asc', 'desc']).default('desc'),
    page: z.coerce.number({ error: 'must be a whole number from 1' }).int('must be a whole number from 1').min(1, 'must be at least 1').default(1),
    pageSize: z.coerce
      .number({ error: `must be a whole number from 1 to ${MAX_MISSION_PAGE_SIZE}` })
      .int(`must be a whole number from 1 to ${MAX_MISSION_PAGE_SIZE}`)
      .min(1, 'must be at least 1')
      .max(MAX_MISSION_PAGE_SIZE, `must be at most ${MAX_MISSION_PAGE_SIZE}`)
      .optional(),
    /** Older callers (CLI, scripts): the first `limit` missions, newest first; pageSize wins when both are set. */
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .transform(({ limit, pageSize, ...rest }) => ({ ...rest, pageSize: pageSize ?? limit ?? DEFAULT_MISSION_PAGE_SIZE }));
export type ListMissionsQuery = z.infer<typeof ListMissionsQuery>;

/** Each row of the board also names its workspace and author, so the page needs no other call. */
export interface MissionListExtras {
  workspaceName: string;
  authorEmail: string | null;
  /** Seconds from start to end (or to now while it runs); null before it started. */
  durationS: number | null;
  updatedAt: string;
}

export interface MissionListPage {
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}
