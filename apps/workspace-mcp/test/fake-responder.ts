import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHANNEL_DIRS, type ChannelRequest, type ChannelResponse } from '@garrison/core/mission-channel';
import { waitFor } from '@garrison/testkit';

type Answer = { decision: 'allow' | 'deny'; message?: string; by?: string } | { text: string; by?: string };

/**
 * Stands in for the runner and the worker in tests: it watches requests/ for new requests and
 * writes responses/ the way `runner answer` does (a temporary name, then a rename).
 */
export class FakeResponder {
  private readonly seen = new Set<string>();

  constructor(private readonly missionDir: string) {}

  /** The next request this responder has not handed out yet (oldest first). */
  async nextRequest(): Promise<ChannelRequest> {
    const dir = join(this.missionDir, CHANNEL_DIRS.requests);
    return waitFor(
      async () => {
        const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
        for (const name of names) {
          const request = JSON.parse(await readFile(join(dir, name), 'utf8')) as ChannelRequest;
          if (this.seen.has(request.id)) continue;
          this.seen.add(request.id);
          return request;
        }
        return undefined;
      },
      { timeoutMs: 4_000, intervalMs: 20, what: 'a request in requests/' },
    );
  }

  async answer(request: ChannelRequest, answer: Answer): Promise<void> {
    const response = { id: request.id, kind: request.kind, by: 'alice', ts: new Date().toISOString(), ...answer } as ChannelResponse;
    await this.writeRaw(request.id, JSON.stringify(response));
  }

  async writeRaw(id: string, text: string): Promise<void> {
    const dir = join(this.missionDir, CHANNEL_DIRS.responses);
    await mkdir(dir, { recursive: true });
    const temporary = join(dir, `.${id}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temporary, text);
    await rename(temporary, join(dir, `${id}.json`));
  }
}
