// Kept apart from deploy-options.ts so `--help` can show it without loading the validators.
/** What `deploy` cannot run without when nobody can be asked (no TTY, or --yes). Declared beside the command. */
export const REQUIRED_WITHOUT_TTY = [
  { flag: '--ecosystem <name>', why: 'no git branch to default to' },
  { flag: '--email <addr>', why: 'the CPU alarm e-mail' },
  { flag: '--region <region>', why: 'unless AWS_REGION, AWS_DEFAULT_REGION or the profile names one' },
  { flag: '--cert-arn <arn> | --cert <file> --key <file>', why: 'no app/certs/cert.pem + key.pem to default to (run hello-deploy generate-certs)' },
] as const;
