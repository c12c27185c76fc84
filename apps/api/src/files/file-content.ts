/**
 * How the file browser shows bytes: UTF-8 text as is, anything else as base64 for the client to
 * offer as a download. A view cut at the size limit may end inside a multi-byte character; that
 * partial character is dropped rather than making the whole file look binary.
 */
export function presentFileContent(bytes: Buffer, truncated: boolean): { encoding: 'utf8' | 'base64'; content: string } {
  const text = truncated ? bytes.subarray(0, completeUtf8Length(bytes)) : bytes;
  if (!text.includes(0)) {
    try {
      return { encoding: 'utf8', content: new TextDecoder('utf-8', { fatal: true }).decode(text) };
    } catch {
      // not UTF-8: fall through
    }
  }
  return { encoding: 'base64', content: bytes.toString('base64') };
}

/** Length of `bytes` without a trailing incomplete UTF-8 sequence (at most 3 bytes are dropped). */
export function completeUtf8Length(bytes: Buffer): number {
  const end = bytes.length;
  for (let back = 1; back <= Math.min(3, end); back += 1) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? end - back : end;
  }
  return end;
}
