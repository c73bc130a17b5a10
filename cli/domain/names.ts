// The names every ecosystem's resources get: one place, so deploy, rehearsal, status and destroy agree.
export const stackNames = (ecosystem: string) => ({
  ecr: `${ecosystem}-hello-world-ecr`,
  infra: `${ecosystem}-hello-world-infra`,
});

/**
 * The names the infra template gives the ecosystem's resources (infra/hello-world-infra.yaml: ClusterName,
 * ServiceName, the target group's and alarm's Name, the log group): what status, logs and the rollout watcher look
 * up when the stack's outputs are not at hand. test/lifecycle-names.test.ts checks them against the template.
 */
export const resourceNames = (ecosystem: string) => ({
  cluster: `${ecosystem}-hello-world`,
  service: `${ecosystem}-hello-world`,
  loadBalancer: `${ecosystem}-hw-alb`,
  targetGroup: `${ecosystem}-hw-tg`,
  alarm: `${ecosystem}-hello-world-cpu-high`,
  topic: `${ecosystem}-hello-world-alarms`,
  logGroup: `/ecs/${ecosystem}-hello-world`,
  repository: `${ecosystem}-hello-world-ecr`,
});
