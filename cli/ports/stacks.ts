// What the lifecycle commands read of the ecosystem's CloudFormation stacks: one stack by name, or every live stack
// of the account and region (`status --all` picks this tool's out of them). Read only. Adapter:
// cli/adapters/aws/cloudformation/reads.ts.

export interface StackView {
  name: string;
  /** CREATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE, … */
  status: string;
  statusReason?: string;
  createdAt?: Date;
  /** LastUpdatedTime: unset for a stack never updated since its creation. */
  updatedAt?: Date;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

export interface StackReadPort {
  /** DescribeStacks by name; undefined when there is no such (live) stack. */
  describe(stackName: string, opts?: { signal?: AbortSignal }): Promise<StackView | undefined>;
  /** DescribeStacks without a name: every live stack (deleted ones are not listed), all pages, bounded. */
  all(opts?: { signal?: AbortSignal }): Promise<StackView[]>;
  /** GetTemplate (Original stage): the template text the stack was last deployed with; undefined when no such stack. */
  template?(stackName: string, opts?: { signal?: AbortSignal }): Promise<string | undefined>;
}
