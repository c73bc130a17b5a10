"""A new task definition starts an ECS deployment, and the deployment lives and dies as ECS's do.

moto 5.2.5 has no rollout: a service keeps one deployment for life, and a CloudFormation update that changes the
image leaves the service on the old revision (the Service's own JSON, `TaskDefinition: !Ref TaskDefinition`, does
not change, so moto's diff never updates it; and when it does, moto stores the family name, not the revision's ARN).
Its TaskDefinition update also registers the new revision from the raw PascalCase properties, so the revision has no
image. Here, as on AWS:

- CloudFormation replaces a task definition whose properties change ("Update requires: Replacement",
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html), so its
  Ref (the revision's ARN) changes and every resource that refers to it is updated too: the service gets the new
  revision. The new revision is registered as a create registers it.
- UpdateService with a new task definition (or forceNewDeployment) starts a deployment: a new PRIMARY
  (`ecs-svc/<digits>`, rolloutState IN_PROGRESS), the previous PRIMARY becoming ACTIVE with its own tasks. "ACTIVE: a
  service deployment that still has running tasks, but are in the process of being replaced with a new PRIMARY
  deployment"; the PRIMARY is COMPLETED "when the service reaches a steady state"
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html): here, once it runs its desired
  count and no ACTIVE deployment has a RUNNING or PENDING task left; the ACTIVE ones then disappear (INACTIVE).
- `failedTasks`: "A task is considered a failure if the service scheduler can't launch the task, the task doesn't
  transition to a RUNNING state, or if it fails any of its defined health checks and is stopped" (same page). A task
  the scheduler stopped itself (draining, "Scaling activity initiated by (deployment …)") is no failure.
- The circuit breaker (deploymentConfiguration.deploymentCircuitBreaker.enable): "a minimum threshold of 3 and a
  maximum threshold of 200 ... 0.5 * desired task count"
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html). At the
  threshold the deployment goes FAILED and launches nothing more; with rollback, "the service is rolled back to the
  last deployment that completed successfully"
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html), which needs "a
  previous deployment in COMPLETED state"
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html): a new PRIMARY
  deployment of that task definition, the failed one ACTIVE (FAILED) until its tasks are gone.
- Service events, newest first, in ECS's words: tasks started and stopped, the deployment completed or failed, the
  rollback, the steady state.

The state moves when the emulator is told something (RunTask, StopTask, SubmitTaskStateChange, UpdateService) and
whenever a service's deployments are read. Who runs the containers (the rehearsal's "roll out" step) plays the ECS
scheduler: this extension only keeps the books and decides, as ECS does, from what it is told.
"""
from __future__ import annotations

import math
import uuid
from typing import Any, Callable

from moto.core.utils import utcnow

from moto_ext import ExtensionError, require

# The stop reasons of a failed task: the essential container exited, a health check failed, or it never started
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html).
_FAILED_REASONS = (
    "Essential container in task exited",
    "failed ELB health checks",
    "failed container health checks",
    "CannotPullContainer",
    "ResourceInitializationError",
    "Task failed to start",
)
_DEFAULT_EVENTS_KEPT = 100


def _failed(task: Any) -> bool:
    reason = getattr(task, "stopped_reason", None) or ""
    return task.last_status == "STOPPED" and any(r in reason for r in _FAILED_REASONS)


def threshold(desired: int) -> int:
    """The circuit breaker's failed-task threshold: 0.5 × desired, at least 3, at most 200 (rounded up)."""
    return min(200, max(3, math.ceil(0.5 * desired)))


def _state(service: Any) -> dict[str, Any]:
    # Kept beside moto's attributes (never inside a deployment dict, which DescribeServices serializes).
    return service.__dict__.setdefault("_hd_rollout", {"completed": {}, "failed": set(), "started": 0})


def _event(service: Any, message: str) -> None:
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": utcnow(), "message": message})
    del service.events[_DEFAULT_EVENTS_KEPT:]


def _new_deployment(service: Any, task_definition: str, reason: str | None = None) -> dict[str, Any]:
    from moto.moto_api._internal import mock_random  # noqa: PLC0415

    now = utcnow()
    dep_id = f"ecs-svc/{mock_random.randint(0, 32**12)}"
    return {
        "id": dep_id, "status": "PRIMARY", "taskDefinition": task_definition, "desiredCount": service.desired_count,
        "pendingCount": 0, "runningCount": 0, "failedTasks": 0, "createdAt": now, "updatedAt": now,
        "launchType": service.launch_type, "platformVersion": service.platform_version,
        "platformFamily": "EC2" if service.launch_type == "EC2" else "FARGATE",
        "networkConfiguration": service.network_configuration or None,
        "rolloutState": "IN_PROGRESS", "rolloutStateReason": reason or f"ECS deployment {dep_id} in progress.",
    }


def start_deployment(service: Any, task_definition: str, reason: str | None = None) -> dict[str, Any]:
    """A new PRIMARY for `task_definition`; the previous PRIMARY turns ACTIVE and keeps its tasks and counts."""
    deps = service.__dict__.setdefault("_hd_deployments", [])
    for d in deps:
        if d.get("status") == "PRIMARY":
            d["status"] = "ACTIVE"
            d["updatedAt"] = utcnow()
    new = _new_deployment(service, task_definition, reason)
    deps.insert(0, new)
    service.task_definition = task_definition
    return new


def _settle(service: Any, counted: Callable[[Any], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The deployments with their counts (task_counts' getter), then this extension's state machine over them."""
    deps = counted(service)
    primary = next((d for d in deps if d.get("status") == "PRIMARY"), None)
    if primary is None:
        return deps
    state = _state(service)
    tasks = [t for t in service._backend.tasks.get(service.cluster_name, {}).values() if t.group == f"service:{service.name}"]
    for d in deps:
        # "Once a service deployment has one or more successfully running tasks, the failed task count resets to zero
        # and stops being evaluated" (API_Deployment, failedTasks): a COMPLETED deployment has had them.
        done = d["id"] in state["completed"]
        d["failedTasks"] = 0 if done else sum(1 for t in tasks if t.started_by == d["id"] and _failed(t))
    primary["desiredCount"] = service.desired_count
    name = f"(service {service.name})"
    if primary["id"] in state["failed"]:
        primary["rolloutState"] = "FAILED"
        return deps
    others = [d for d in deps if d is not primary]
    busy = any(d.get("runningCount") or d.get("pendingCount") for d in others)
    reached = primary["runningCount"] >= primary["desiredCount"] and primary["pendingCount"] == 0
    if primary["id"] in state["completed"] or (reached and not busy):
        if primary["id"] not in state["completed"]:
            state["completed"][primary["id"]] = primary["taskDefinition"]
            primary["updatedAt"] = utcnow()
            _event(service, f"{name} ({'deployment ' + primary['id']}) deployment completed.")
            _event(service, f"{name} has reached a steady state.")
        primary["rolloutState"] = "COMPLETED"
        primary["rolloutStateReason"] = f"ECS deployment {primary['id']} completed."
        deps[:] = [primary]  # the replaced deployments are INACTIVE now, and DescribeServices lists them no more
        return deps
    primary["rolloutState"] = "IN_PROGRESS"
    if not primary["rolloutStateReason"].startswith("ECS deployment circuit breaker"):
        primary["rolloutStateReason"] = f"ECS deployment {primary['id']} in progress."
    breaker = (getattr(service, "deployment_configuration", None) or {}).get("deploymentCircuitBreaker") or {}
    if breaker.get("enable") and primary["failedTasks"] >= threshold(primary["desiredCount"]):
        _trip(service, deps, primary, bool(breaker.get("rollback")), state)
    return deps


def _trip(service: Any, deps: list[dict[str, Any]], primary: dict[str, Any], rollback: bool, state: dict[str, Any]) -> None:
    name = f"(service {service.name})"
    state["failed"].add(primary["id"])
    primary["rolloutState"] = "FAILED"
    primary["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."
    primary["updatedAt"] = utcnow()
    _event(service, f"{name} (deployment {primary['id']}) deployment failed: tasks failed to start.")
    completed = [d for d in deps if d["id"] in state["completed"]]
    if not rollback or not completed:
        return
    last = max(completed, key=lambda d: d["createdAt"])
    _event(service, f"{name} rolling back to deployment {last['id']}.")
    start_deployment(service, last["taskDefinition"], f"ECS deployment circuit breaker: rolling back to deploymentId {last['id']}.")


def _refers(value: Any, logical_id: str) -> bool:
    if isinstance(value, dict):
        if value.get("Ref") == logical_id:
            return True
        att = value.get("Fn::GetAtt")
        if (isinstance(att, list) and att[:1] == [logical_id]) or (isinstance(att, str) and att.split(".")[0] == logical_id):
            return True
        return any(_refers(v, logical_id) for v in value.values())
    if isinstance(value, list):
        return any(_refers(v, logical_id) for v in value)
    return False


def apply() -> str:
    from moto.cloudformation.parsing import ResourceMap  # noqa: PLC0415
    from moto.ecs import models as ecs_models  # noqa: PLC0415
    from moto.ecs import responses as ecs_responses  # noqa: PLC0415

    service_cls = require(ecs_models, "Service", "moto.ecs.models")
    task_def_cls = require(ecs_models, "TaskDefinition", "moto.ecs.models")
    backend_cls = require(ecs_models, "EC2ContainerServiceBackend", "moto.ecs.models")
    backends = require(ecs_models, "ecs_backends", "moto.ecs.models")
    response_cls = require(ecs_responses, "EC2ContainerServiceResponse", "moto.ecs.responses")
    original_diff = require(ResourceMap, "build_resource_diff", "ResourceMap")
    original_update = require(backend_cls, "update_service", "EC2ContainerServiceBackend")
    original_run = require(backend_cls, "run_task", "EC2ContainerServiceBackend")
    original_stop = require(backend_cls, "stop_task", "EC2ContainerServiceBackend")
    original_submit = getattr(response_cls, "submit_task_state_change", None)
    deployments = service_cls.__dict__.get("deployments")
    if original_submit is None or not isinstance(deployments, property):
        raise ExtensionError("task_counts must be applied first (SubmitTaskStateChange and the counted deployments)")
    counted = deployments.fget
    require(task_def_cls, "create_from_cloudformation_json", "moto.ecs.models.TaskDefinition")
    require(backend_cls, "describe_task_definition", "EC2ContainerServiceBackend")

    def settle_all(backend: Any) -> None:
        for s in list(backend.services.values()):
            _settle(s, counted)

    def build_resource_diff(self, other_template, parameters=None):  # type: ignore[no-untyped-def]
        diff = original_diff(self, other_template, parameters)
        new = other_template["Resources"]
        replaced = [n for n in diff["Modify"] if new[n].get("Type") == "AWS::ECS::TaskDefinition"]
        for logical_id, resource in new.items():
            if logical_id in diff["Modify"] or logical_id in diff["Add"]:
                continue
            # Appended after the task definition, so moto's update loop replaces it first and this Ref sees the new ARN.
            if any(_refers(resource.get("Properties"), r) for r in replaced):
                diff["Modify"].append(logical_id)
        return diff

    def update_task_definition(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):  # type: ignore[no-untyped-def]
        backends[account_id][region_name].deregister_task_definition(original_resource.arn)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def update_service(self, service_properties):  # type: ignore[no-untyped-def]
        props = dict(service_properties)
        force = bool(props.pop("force_new_deployment", False))
        before = self._get_service(props.get("cluster", "default"), props["service"].split("/")[-1])
        before_td = before.task_definition
        service = original_update(self, props)
        if service.task_definition and not service.task_definition.startswith("arn:"):
            # moto stores what it was given (a family, or family:revision); ECS answers the revision's ARN.
            service.task_definition = self.describe_task_definition(service.task_definition).arn
        if force or service.task_definition != before_td:
            start_deployment(service, service.task_definition)
        _settle(service, counted)
        return service

    def run_task(self, cluster_str, task_definition_str, count, overrides, started_by, *args, **kwargs):  # type: ignore[no-untyped-def]
        tasks = original_run(self, cluster_str, task_definition_str, count, overrides, started_by, *args, **kwargs)
        by_service: dict[str, list[Any]] = {}
        for t in tasks:
            if (t.group or "").startswith("service:"):
                by_service.setdefault(t.group[len("service:"):], []).append(t)
        for name, started in by_service.items():
            service = self.services.get(f"{self._get_cluster(cluster_str).name}:{name}")
            if service is not None:
                ids = " ".join(f"(task {t.id})" for t in started)
                _event(service, f"(service {name}) has started {len(started)} tasks: {ids}.")
        settle_all(self)
        return tasks

    def stop_task(self, cluster_str, task_str, reason):  # type: ignore[no-untyped-def]
        cluster = self._get_cluster(cluster_str)
        was = {arn: t.last_status for arn, t in self.tasks.get(cluster.name, {}).items()}
        task = original_stop(self, cluster_str, task_str, reason)
        if was.get(task.task_arn) == "RUNNING" and (task.group or "").startswith("service:"):
            service = self.services.get(f"{cluster.name}:{task.group[len('service:'):]}")
            if service is not None:
                _event(service, f"(service {service.name}) has stopped 1 running tasks: (task {task.id}).")
        settle_all(self)
        return task

    def submit_task_state_change(self):  # type: ignore[no-untyped-def]
        result = original_submit(self)
        settle_all(self.ecs_backend)
        return result

    ResourceMap.build_resource_diff = build_resource_diff
    task_def_cls.update_from_cloudformation_json = classmethod(update_task_definition)
    backend_cls.update_service = update_service
    backend_cls.run_task = run_task
    backend_cls.stop_task = stop_task
    response_cls.submit_task_state_change = submit_task_state_change
    service_cls.deployments = property(lambda s: _settle(s, counted), deployments.fset)
    return ("a new task definition (stack update or UpdateService) starts a PRIMARY deployment, the old one ACTIVE until "
            "its tasks stop; failedTasks per deployment; the circuit breaker fails it at max(3, min(200, 0.5 x desired)) "
            "failed tasks and rolls back to the last COMPLETED one; service events in ECS's words")
