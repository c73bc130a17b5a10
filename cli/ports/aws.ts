// Where AWS is for a command: the one shape every AWS adapter is configured with.
export interface AwsOptions {
  region?: string;
  profile?: string;
  /** Sends every AWS call to an emulator (moto, LocalStack) instead of AWS. */
  endpointUrl?: string;
}
