// The local ECR stand-in for tests: the product's own (cli/emulator/registry.ts), which `deploy --local` starts
// too. Debian's docker-registry on 127.0.0.1 with htpasswd auth and the credentials moto's GetAuthorizationToken
// issues, so "moto token → docker login → push" runs for real.
export { startRegistry, REGISTRY_BINARY, HTPASSWD_BINARY, MANIFEST_ACCEPT, type Registry, type RegistryOptions } from '../../cli/adapters/emulator/registry.ts';
