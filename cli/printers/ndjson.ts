// --json: one object per line, exactly as the command produced it (for an engine's run, the last line is the
// `result` event; generate-certs prints one object). Serialised as is, so every command's wire shape is its own.
export function ndjsonPrinter<O>(write: (s: string) => void = (s) => process.stdout.write(s)): (o: O) => void {
  return (o) => write(`${JSON.stringify(o)}\n`);
}
