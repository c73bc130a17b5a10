"""ELBv2 target health as the rehearsal's load balancer really sees it, and the target group's attributes kept.

1. moto answers DescribeTargetHealth for an `ip` target with a fixed `healthy`: it runs no health checks. The
   rehearsal runs a real proxy (HAProxy) that does, so this extension adds one route through which the rehearsal
   reports the proxy's view, and DescribeTargetHealth answers it with the state and reason code ELB would give
   (`initial`/`Elb.InitialHealthChecking`, `unhealthy`/`Target.ResponseCodeMismatch` or `Target.Timeout`,
   `healthy`), as https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html lists
   them. A target nobody reported on keeps moto's own answer.

   POST /moto-api/hello-deploy/target-health with JSON
   {"targetGroupArn": ARN, "targets": [{"id": "127.0.0.1", "port": 5000, "state": "unhealthy",
   "reason": "Target.ResponseCodeMismatch", "description": "Health checks failed with these codes: [500]"}]}

2. One IP address registered on several ports at once, as AWS allows ("You can register each EC2 instance or IP
   address with the same target group multiple times using different ports",
   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html). moto keys a
   group's targets by Id alone, so registering 127.0.0.1:B replaced 127.0.0.1:A; a rehearsed rollout runs the old
   and the new task side by side on 127.0.0.1. IP targets are keyed by "Id:Port" here; instance targets keep moto's.

3. A target group created by CloudFormation keeps its TargetGroupAttributes (moto drops them, so
   deregistration_delay.timeout_seconds read back 300 whatever the template said). AWS::ElasticLoadBalancingV2::
   TargetGroup: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-targetgroup.html
"""
from __future__ import annotations

import json
from typing import Any

from moto_ext import ExtensionError, require

ROUTE = "{0}/moto-api/hello-deploy/target-health"
STATES = {"initial", "healthy", "unhealthy", "unused", "draining", "unavailable"}


def apply() -> str:
    from moto.elbv2 import exceptions, models  # noqa: PLC0415
    from moto.moto_api._internal import urls  # noqa: PLC0415

    tg_cls = require(models, "FakeTargetGroup", "moto.elbv2.models")
    status_cls = require(models, "FakeHealthStatus", "moto.elbv2.models")
    backends = require(models, "elbv2_backends", "moto.elbv2.models")
    original_health = require(tg_cls, "health_for", "FakeTargetGroup")
    original_register = require(tg_cls, "register", "FakeTargetGroup")
    original_deregister = require(tg_cls, "deregister", "FakeTargetGroup")
    invalid_target = require(exceptions, "InvalidTargetError", "moto.elbv2.exceptions")
    original_create = require(tg_cls, "create_from_cloudformation_json", "FakeTargetGroup").__func__  # type: ignore[attr-defined]
    paths = require(urls, "url_paths", "moto.moto_api._internal.urls")
    if not isinstance(paths, dict):
        raise ExtensionError("moto.moto_api._internal.urls.url_paths is not a dict")

    def by_port(target: dict[str, Any]) -> bool:
        return not str(target.get("Id", "")).startswith("i-")

    def slot(self: Any, target: dict[str, Any]) -> str:
        return f"{target['Id']}:{int(target.get('Port') or self.port or 0)}"

    def register(self: Any, targets: list[dict[str, Any]]) -> None:
        original_register(self, [t for t in targets if not by_port(t)])
        for t in filter(by_port, targets):
            self.targets[slot(self, t)] = {"Id": t["Id"], "Port": int(t.get("Port") or self.port or 0)}
            self.deregistered_targets.pop(slot(self, t), None)

    def deregister(self: Any, targets: list[dict[str, Any]]) -> None:
        for t in filter(by_port, targets):
            gone = self.targets.pop(slot(self, t), None)
            if gone is None:
                raise invalid_target()
            self.deregistered_targets[slot(self, t)] = gone
        original_deregister(self, [t for t in targets if not by_port(t)])

    def health_for(self: Any, target: dict[str, Any], ec2_backend: Any) -> Any:
        if not by_port(target):
            return original_health(self, target, ec2_backend)
        port = int(target.get("Port") or self.port or 0)
        if slot(self, target) not in self.targets:
            if slot(self, target) in self.deregistered_targets:
                return status_cls(target["Id"], str(port), self.health_check_port, "unused", "Target.NotRegistered", "Target is not registered to the target group")
            return original_health(self, target, ec2_backend)
        reported = getattr(self, "_hd_reported", {})
        if (target["Id"], port) in reported:
            state, reason, description = reported[(target["Id"], port)]
            return status_cls(target["Id"], str(port), self.health_check_port, state, reason, description)
        # moto's answer for a registered target it runs no checks on
        return status_cls(target["Id"], str(port), self.health_check_port, "healthy")

    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        tg = original_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        attrs = cloudformation_json.get("Properties", {}).get("TargetGroupAttributes") or []
        given = {str(a["Key"]): str(a["Value"]) for a in attrs if "Key" in a and "Value" in a}
        if given:
            backends[account_id][region_name].modify_target_group_attributes(tg.arn, given)
        return tg

    def report(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        try:
            body = json.loads(request.get_data() if hasattr(request, "get_data") else request.body)
            arn = body["targetGroupArn"]
            tg = next((b.target_groups[arn] for r in backends.values() for b in r.values() if arn in b.target_groups), None)
            if tg is None:
                return 404, {}, json.dumps({"error": f"no target group {arn}"})
            table = getattr(tg, "_hd_reported", {})
            for t in body["targets"]:
                if t["state"] not in STATES:
                    return 400, {}, json.dumps({"error": f"unknown state {t['state']}"})
                table[(t["id"], int(t["port"]))] = (t["state"], t.get("reason"), t.get("description"))
            tg._hd_reported = table
            return 200, {"Content-Type": "application/json"}, json.dumps({"reported": len(body["targets"])})
        except (KeyError, TypeError, ValueError) as err:
            return 400, {}, json.dumps({"error": f"bad report: {err}"})

    tg_cls.health_for = health_for  # type: ignore[attr-defined]
    tg_cls.register = register  # type: ignore[attr-defined]
    tg_cls.deregister = deregister  # type: ignore[attr-defined]
    tg_cls.create_from_cloudformation_json = classmethod(create)  # type: ignore[attr-defined]
    paths[ROUTE] = report
    return "DescribeTargetHealth answers what the rehearsal's proxy reports; one IP on several ports; TargetGroupAttributes kept from templates"
