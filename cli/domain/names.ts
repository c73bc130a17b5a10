// The names every ecosystem's resources get: one place, so deploy, rehearsal, status and destroy agree.
export const stackNames = (ecosystem: string) => ({
  ecr: `${ecosystem}-hello-world-ecr`,
  infra: `${ecosystem}-hello-world-infra`,
});
