import { z } from 'zod';

/** Progress of a workspace image build on a worker, to the installation-wide `images` socket room. */
export const ImageProgressEvent = z.object({
  kind: z.literal('image-progress'),
  image: z.string(),
  state: z.enum(['building', 'built', 'failed']),
  line: z.string().optional(),
  message: z.string().optional(),
  at: z.string(),
});
export type ImageProgressEvent = z.infer<typeof ImageProgressEvent>;

export const RebuildImageBody = z.object({
  /** Rebuild every layer instead of reusing the cache (e.g. to pick up Debian security updates). */
  noCache: z.boolean().default(false),
});

/** A `maintenance` queue job (see MaintenanceJob in queue-contracts.ts). */
export const RebuildImageJob = z.object({ task: z.literal('rebuild-image'), actor: z.string(), noCache: z.boolean().default(false) });

export const IMAGES_ROOM = 'images';
