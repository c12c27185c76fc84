import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { ImageProgressEvent } from '@garrison/core';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const DOCKERFILE = 'docker/workspace.Dockerfile';
const BUNDLES = ['apps/runner/dist/runner.cjs', 'apps/workspace-mcp/dist/workspace-mcp.cjs'];

/**
 * Builds the workspace image on this host's engine from the repository's Dockerfile and the two
 * bundles (shipped in the app image; `npm run build:images` makes them in a checkout). One build
 * per tag at a time: callers that need the image while it builds wait for the same build.
 * Every output line is published, so the dashboard can show the progress.
 */
export class WorkspaceImageBuilder {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      runtime: ContainerRuntime;
      log: Logger;
      baseImage: string;
      publish(event: ImageProgressEvent): Promise<void>;
      /** After each successful build (the agent CLI probe looks at the new image). */
      onBuilt?(image: string): void;
      repoRoot?: string;
    },
  ) {}

  async ensure(image: string): Promise<void> {
    if (await this.deps.runtime.imageExists(image)) return;
    await this.build(image, 'missing');
  }

  build(image: string, reason: 'missing' | 'requested', noCache = false): Promise<void> {
    const running = this.inFlight.get(image);
    if (running) return running;
    const build = this.run(image, reason, noCache).finally(() => this.inFlight.delete(image));
    this.inFlight.set(image, build);
    return build;
  }

  private async run(image: string, reason: 'missing' | 'requested', noCache: boolean): Promise<void> {
    const root = this.deps.repoRoot ?? REPO_ROOT;
    const started = Date.now();
    const publish = (event: Omit<ImageProgressEvent, 'kind' | 'image' | 'at'>): void => {
      void this.deps.publish({ kind: 'image-progress', image, at: new Date().toISOString(), ...event }).catch(() => {});
    };
    const missing = BUNDLES.filter((bundle) => !existsSync(join(root, bundle)));
    if (missing.length > 0) {
      const message = `Cannot build ${image}: ${missing.join(', ')} not built. Run \`npm run build:images\` (the app image ships them).`;
      publish({ state: 'failed', message });
      throw new Error(message);
    }
    this.deps.log.info({ image, reason, baseImage: this.deps.baseImage }, 'building workspace image');
    publish({ state: 'building', message: `Building ${image} (${reason}) from ${this.deps.baseImage}` });
    // A context of exactly these files: the repository's .dockerignore (written for the app
    // image) leaves build output out, and nothing else of the checkout belongs in this image.
    const context = await mkdtemp(join(tmpdir(), 'garrison-image-'));
    try {
      for (const file of [DOCKERFILE, ...BUNDLES]) {
        await mkdir(dirname(join(context, file)), { recursive: true });
        await copyFile(join(root, file), join(context, file));
      }
      await this.deps.runtime.buildImage(
        { contextDir: context, files: [DOCKERFILE, ...BUNDLES], dockerfile: DOCKERFILE, tag: image, buildArgs: { BASE_IMAGE: this.deps.baseImage }, noCache },
        (line) => publish({ state: 'building', line }),
      );
    } catch (error) {
      const message = `Building ${image} failed: ${error instanceof Error ? error.message : String(error)}`;
      publish({ state: 'failed', message });
      throw new Error(message);
    } finally {
      await rm(context, { recursive: true, force: true });
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.deps.log.info({ image, seconds }, 'workspace image built');
    publish({ state: 'built', message: `Built ${image} in ${seconds}s` });
    this.deps.onBuilt?.(image);
  }
}
