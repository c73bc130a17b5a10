// What a rollback says before it hands over to the deploy engine: which image runs now and which one it deploys
// instead. After it, the stream is a deploy's (its plan, steps and `result`): the command layer runs the deploy.

export interface RollbackChosen {
  type: 'rollback';
  ecosystem: string;
  stack: string;
  /** The infra stack's ImageId now: `repo@sha256:…`. */
  from: string;
  /** What the deploy will set it to: `repo@sha256:…`. */
  to: string;
  /** The chosen image's tags and push time, as ECR lists them. */
  tags: string[];
  pushedAt?: string;
  /** `previous`: the newest image pushed before the running one; `to`: the one --to named. */
  chosenBy: 'previous' | 'to';
  /** What the deploy keeps from the stack, so that only the image changes. */
  /** What the rollback deploys again unchanged: the alarm e-mail, and the certificate (SSLCert) or the domain. */
  kept: { email: string; certificateArn?: string; domain?: string; architecture?: string };
}
