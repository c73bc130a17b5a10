// A rehearsal never touches a real AWS account: every SDK client and child process gets these fixed fake
// credentials and region (cli/adapters/emulator/fake-aws.ts applies them).
export const EMULATOR_REGION = 'us-east-1';
export const FAKE_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' } as const;
