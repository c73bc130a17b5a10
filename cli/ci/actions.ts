// The third-party actions the workflow uses, pinned by the commit SHA of a release tag: a tag can be moved to other
// code, a commit cannot. Each SHA was read from the action's own repository (`git show-ref --tags`) with the tag
// beside it, so a bump is a lookup of the new tag's commit.
export interface PinnedAction {
  /** owner/name */
  repository: string;
  tag: string;
  sha: string;
}

export const ACTIONS = {
  checkout: { repository: 'actions/checkout', tag: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  setupNode: { repository: 'actions/setup-node', tag: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  awsCredentials: { repository: 'aws-actions/configure-aws-credentials', tag: 'v6.2.3', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c' },
} as const satisfies Record<string, PinnedAction>;

/** `owner/name@sha`, as a step's `uses:` names it. */
export const usesOf = (a: PinnedAction) => `${a.repository}@${a.sha}`;
