import type { Readable } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** MCP over the stdin/stdout of a `docker exec`, the way the workspace MCP is reached from outside. */
export class ExecStdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  private readonly buffer = new ReadBuffer();

  constructor(private readonly exec: { stdout: Readable; write(text: string): void; close(): void }) {}

  async start(): Promise<void> {
    this.exec.stdout.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (let message = this.buffer.readMessage(); message; message = this.buffer.readMessage()) {
        this.onmessage?.(message);
      }
    });
    this.exec.stdout.on('end', () => this.onclose?.());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.exec.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.exec.close();
  }
}
