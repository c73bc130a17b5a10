// The workflow model → YAML text, through the `yaml` library: it quotes whatever needs quoting, so no value can
// change the document's shape. The only text added by hand is comments: the header, and each pinned SHA's tag.
import { Document, isMap, isPair, isScalar, visit } from 'yaml';
import { ACTIONS } from './actions.ts';
import type { Workflow } from './workflow.ts';

const TAG_OF = new Map<string, string>(Object.values(ACTIONS).map((a) => [`${a.repository}@${a.sha}`, a.tag]));

export function renderWorkflow(w: Workflow, header: string[]): string {
  // No anchors: the jobs share objects in the model, and each job reads better whole.
  const doc = new Document(w, { aliasDuplicateObjects: false });
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  visit(doc, {
    Pair(_, pair) {
      // `uses: owner/name@<sha>  # v1.2.3`: the tag a person (or Dependabot) reads beside the commit it stands for.
      if (isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value)) {
        const tag = TAG_OF.get(String(pair.value.value));
        if (tag) pair.value.comment = ` ${tag}`;
      }
    },
  });
  // A blank line between the jobs, for the eye.
  const jobs = doc.get('jobs', true);
  if (isMap(jobs)) jobs.items.forEach((p, i) => { if (i > 0 && isPair(p) && isScalar(p.key)) p.key.spaceBefore = true; });
  // `null` events render as `pull_request:` with no value, which GitHub reads as "every activity type".
  return doc.toString({ lineWidth: 0, nullStr: '' });
}
