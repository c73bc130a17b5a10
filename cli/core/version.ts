// Kept in step with package.json by test/cli.test.ts; a constant, so --version needs no file read.
export const VERSION = '0.1.0';
