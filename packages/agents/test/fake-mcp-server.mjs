// A small MCP server over stdio for the pi bridge's unit tests: newline-delimited JSON-RPC,
// tools listed over two pages, and tools that answer, fail, hang, crash or report what they saw.
import { createInterface } from 'node:readline';

const cancelled = [];
const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
const text = (value) => ({ content: [{ type: 'text', text: value }] });

const TOOLS = [
  { name: 'echo', description: 'Echoes its text', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  { name: 'fail', description: 'Always fails', inputSchema: { type: 'object', properties: {} } },
  { name: 'image', inputSchema: { type: 'object', properties: {} } },
  { name: 'hang', inputSchema: { type: 'object', properties: {} } },
  { name: 'crash', inputSchema: { type: 'object', properties: {} } },
  { name: 'whoami', description: 'Its pid, an env value and the cancellations it received', inputSchema: { type: 'object', properties: {} } },
];

function call(id, name, args) {
  switch (name) {
    case 'echo':
      return send({ id, result: text(`echo: ${args.text}`) });
    case 'fail':
      return send({ id, result: { ...text('it failed'), isError: true } });
    case 'image':
      return send({ id, result: { content: [{ type: 'image', data: 'aGk=', mimeType: 'image/png' }, { type: 'resource', resource: { uri: 'file:///x' } }] } });
    case 'hang':
      return undefined;
    case 'crash':
      return process.exit(3);
    case 'whoami':
      return send({ id, result: text(JSON.stringify({ pid: process.pid, fake: process.env.FAKE_MCP_VALUE ?? null, cancelled })) });
    default:
      return send({ id, error: { code: -32602, message: `unknown tool ${name}` } });
  }
}

// Not protocol: a client must skip it.
process.stdout.write('fake-mcp-server starting\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.method === 'initialize') {
    // A request of the server's own before it answers: the client must reply and go on.
    send({ id: 'srv-1', method: 'roots/list' });
    return send({ id: message.id, result: { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'fake', version: '1' } } });
  }
  if (message.method === 'notifications/cancelled') return void cancelled.push(message.params.requestId);
  if (message.method === 'tools/list') {
    const page = message.params?.cursor === 'page-2' ? { tools: TOOLS.slice(3) } : { tools: TOOLS.slice(0, 3), nextCursor: 'page-2' };
    return send({ id: message.id, result: page });
  }
  if (message.method === 'tools/call') return call(message.id, message.params.name, message.params.arguments ?? {});
  return undefined;
});
