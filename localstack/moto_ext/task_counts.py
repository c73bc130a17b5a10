"""A service's counts come from its tasks, and a task's state from whoever runs it (the rehearsal's runtime).

moto 5.2.5 never runs a service's tasks: DescribeServices answers `runningCount`/`pendingCount` from the
MOTO_ECS_SERVICE_RUNNING environment variable, fixed when the service is created, and the primary deployment's
`rolloutState` with it. Its tasks, in turn, walk from RUNNING to STOPPED on their own, one state per DescribeTasks
(the "ecs::task" state manager), and a container reports `exitCode` 0 before it has exited. The rehearsal runs the
task's container itself, so here the emulator is told what happens, through the ECS API as the ECS agent tells ECS:

- RunTask makes a task PENDING (the runtime starts the container next); SubmitTaskStateChange, "only used by the
  Amazon ECS agent" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_SubmitTaskStateChange.html),
  moves it to RUNNING or STOPPED and records each container's `exitCode`, `imageDigest`, `runtimeId` and `reason`.
  moto has no SubmitTaskStateChange; it is added here. A task no longer changes state on its own.
- DescribeServices: `runningCount`/`pendingCount` are "the number of tasks in the cluster that are in the RUNNING
  [PENDING] state" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html), counted over the
  service's tasks (group `service:<name>`); a deployment's counts over the tasks it started (`startedBy` is the
  deployment id, as ECS sets it), and its `rolloutState` COMPLETED once it runs its desired count, "when the service
  reaches a steady state" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html).
- ListTasks `serviceName` "limits the results to tasks that belong to that service"
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html); moto ignores it (a TODO).
- RunTask of a task definition whose containers give no memory of their own fails in moto with a TypeError (its
  placement arithmetic adds None); on Fargate "the container-level memory settings are optional when task size is
  specified" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_memory),
  and the infra template gives task-level Cpu/Memory only. Such a container counts the task's memory.
- RunTask in a VPC without DNS host names fails in moto with an AttributeError (it reads the ENI's
  `private_dns_name`, set only when the VPC has them): the ENI answers no private DNS name there instead.
- StopTask, and a STOPPED state change, stamp `stoppedAt` (moto's tasks have no timestamps; `createdAt` and
  `startedAt` are stamped too).
"""
from __future__ import annotations

import inspect
from typing import Any

from moto.core.utils import utcnow

from moto_ext import ExtensionError, require

_PENDING = ("PROVISIONING", "PENDING", "ACTIVATING")


def _service_tasks(service: Any) -> list[Any]:
    group = f"service:{service.name}"
    return [t for t in service._backend.tasks.get(service.cluster_name, {}).values() if t.group == group]


def _count(tasks: list[Any], states: tuple[str, ...]) -> int:
    return sum(1 for t in tasks if t.last_status in states)


def _deployments(service: Any) -> list[dict[str, Any]]:
    """The stored deployments, with each one's counts read from the tasks it started."""
    tasks = _service_tasks(service)
    for d in service.__dict__.get("_hd_deployments", []):
        mine = [t for t in tasks if t.started_by == d.get("id")]
        d["runningCount"] = _count(mine, ("RUNNING",))
        d["pendingCount"] = _count(mine, _PENDING)
        if d.get("status") == "PRIMARY" and d.get("rolloutState") in ("IN_PROGRESS", "COMPLETED"):
            done = d["runningCount"] >= d.get("desiredCount", service.desired_count) and d["pendingCount"] == 0
            d["rolloutState"] = "COMPLETED" if done else "IN_PROGRESS"
            d["rolloutStateReason"] = f"ECS deployment {d['id']} {'completed' if done else 'in progress'}."
    return service.__dict__.get("_hd_deployments", [])


def _apply_state_change(task: Any, params: dict[str, Any]) -> None:
    status = params.get("status")
    if status:
        task.last_status = status
        if status == "RUNNING" and getattr(task, "started_at", None) is None:
            task.started_at = utcnow()
        if status == "STOPPED":
            task.desired_status = "STOPPED"
            task.stopped_at = getattr(task, "stopped_at", None) or utcnow()
            if params.get("reason") and not task.stopped_reason:
                task.stopped_reason = params["reason"]
    by_name = {c.name: c for c in task.containers}
    for change in params.get("containers") or []:
        container = by_name.get(change.get("containerName"))
        if container is None:
            continue
        if change.get("status"):
            container.last_status = change["status"]
        if change.get("exitCode") is not None:
            container.exitCode = int(change["exitCode"])
        for key, attr in (("imageDigest", "image_digest"), ("runtimeId", "runtime_id"), ("reason", "reason")):
            if change.get(key):
                setattr(container, attr, change[key])


def apply() -> str:
    from moto.ecs import models as ecs_models  # noqa: PLC0415
    from moto.ecs import responses as ecs_responses  # noqa: PLC0415

    task_cls = require(ecs_models, "Task", "moto.ecs.models")
    service_cls = require(ecs_models, "Service", "moto.ecs.models")
    backend_cls = require(ecs_models, "EC2ContainerServiceBackend", "moto.ecs.models")
    response_cls = require(ecs_responses, "EC2ContainerServiceResponse", "moto.ecs.responses")
    require(ecs_responses, "ActionResult", "moto.ecs.responses")
    for name in ("run_task", "stop_task", "list_tasks", "describe_tasks"):
        require(backend_cls, name, "EC2ContainerServiceBackend")
    require(task_cls, "advance", "moto.ecs.models.Task")
    if "submit_task_state_change" in response_cls.__dict__:
        raise ExtensionError("EC2ContainerServiceResponse already has submit_task_state_change: check this extension against moto's")
    original_run = backend_cls.run_task
    original_stop = backend_cls.stop_task
    original_list = backend_cls.list_tasks
    signature = inspect.signature(original_list)
    if "service_name" not in signature.parameters:
        raise ExtensionError("EC2ContainerServiceBackend.list_tasks has no service_name parameter")
    original_requirements = require(backend_cls, "_calculate_task_resource_requirements", "EC2ContainerServiceBackend")

    def _calculate_task_resource_requirements(task_definition):  # type: ignore[no-untyped-def]
        missing = [c for c in task_definition.container_definitions if not any(c.get(k) for k in ("memory", "memoryReservation", "Memory", "MemoryReservation"))]
        for c in missing:
            c["memoryReservation"] = int(getattr(task_definition, "memory", None) or 0)
        try:
            return original_requirements(task_definition)
        finally:
            # Leave the task definition as it was registered: DescribeTaskDefinition must not show the stand-in.
            for c in missing:
                c.pop("memoryReservation", None)

    def run_task(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        tasks = original_run(self, *args, **kwargs)
        for t in tasks:
            t.last_status = "PENDING"
            t.created_at = utcnow()
            t.started_at = None
            t.stopped_at = None
            for c in t.containers:
                # No exit code until the container has exited (moto starts it at 0).
                c.exitCode = None
        return tasks

    def stop_task(self, cluster_str, task_str, reason):  # type: ignore[no-untyped-def]
        task = original_stop(self, cluster_str, task_str, reason)
        task.stopped_at = getattr(task, "stopped_at", None) or utcnow()
        return task

    def list_tasks(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # moto's ListTasks passes its arguments by position; service_name is the fifth.
        service_name = signature.bind(self, *args, **kwargs).arguments.get("service_name")
        tasks = original_list(self, *args, **kwargs)
        if service_name:
            name = service_name.split("/")[-1]
            tasks = [t for t in tasks if t.group == f"service:{name}"]
        return tasks

    def submit_task_state_change(self):  # type: ignore[no-untyped-def]
        cluster = self._get_param("cluster", "default")
        task_ref = self._get_param("task")
        if not task_ref:
            from moto.ecs.exceptions import InvalidParameterException  # noqa: PLC0415

            raise InvalidParameterException("task is required")
        [task] = self.ecs_backend.describe_tasks(cluster, [task_ref]) or [None]
        if task is None:
            from moto.ecs.exceptions import InvalidParameterException  # noqa: PLC0415

            raise InvalidParameterException(f"task {task_ref} not found")
        _apply_state_change(task, {k: self._get_param(k) for k in ("status", "reason", "containers")})
        return ecs_responses.ActionResult({"acknowledgment": "ACCEPT"})

    def _noop_setter(self, _value):  # type: ignore[no-untyped-def]
        """moto sets these at creation and on updates; they are counted from the tasks instead."""

    def _set_deployments(self, value):  # type: ignore[no-untyped-def]
        self.__dict__["_hd_deployments"] = value

    from moto.ec2.models import elastic_network_interfaces as enis  # noqa: PLC0415

    eni_cls = require(enis, "NetworkInterface", "moto.ec2.models.elastic_network_interfaces")
    if not hasattr(eni_cls, "private_dns_name"):
        eni_cls.private_dns_name = None
    task_cls.advance = lambda self: None
    backend_cls._calculate_task_resource_requirements = staticmethod(_calculate_task_resource_requirements)
    backend_cls.run_task = run_task
    backend_cls.stop_task = stop_task
    backend_cls.list_tasks = list_tasks
    response_cls.submit_task_state_change = submit_task_state_change
    service_cls.running_count = property(lambda s: _count(_service_tasks(s), ("RUNNING",)), _noop_setter)
    service_cls.pending_count = property(lambda s: _count(_service_tasks(s), _PENDING), _noop_setter)
    service_cls.deployments = property(_deployments, _set_deployments)
    return ("DescribeServices counts running/pending tasks of group service:<name> (per deployment by startedBy, "
            "rolloutState COMPLETED at the desired count); RunTask starts PENDING; SubmitTaskStateChange moves a task "
            "and records exit codes and image digests; ListTasks filters by serviceName; StopTask stamps stoppedAt")
