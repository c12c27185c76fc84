/** Keeps the head of a long output and says how much was cut, so the agent knows it saw a part. */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n[truncated: ${text.length - maxChars} more characters not shown]`;
}
