// What `docker push` said about each layer: its progress lines end with "<layer id>: Layer already exists" for a
// blob the registry had (docker asks the registry first, with a HEAD on the blob), and "<id>: Pushed" or "<id>:
// Mounted from <repo>" for the rest. The last word on each layer counts.
const LINE = /^([0-9a-f]{12,64}): (Layer already exists|Pushed|Mounted from .+)$/;

export interface PushedLayers {
  /** Layers the registry already had: not uploaded. */
  present: number;
  total: number;
}

export function countPushedLayers(lines: readonly string[]): PushedLayers | undefined {
  const last = new Map<string, string>();
  for (const raw of lines) {
    const m = LINE.exec(raw.trim());
    if (m) last.set(m[1]!, m[2]!);
  }
  if (last.size === 0) return undefined;
  const present = [...last.values()].filter((v) => v === 'Layer already exists').length;
  return { present, total: last.size };
}

export const layersPhrase = (l: PushedLayers) => `${l.present} of ${l.total} layer(s) already in the registry`;
