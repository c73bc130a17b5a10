"""DeleteStack deletes every resource of the stack, in reverse dependency order, as CloudFormation does.

moto 5.2's DeleteStack tries its resources in no particular order, and several of the types in our infra template have
no CloudFormation delete at all (the ECS cluster, service and task definition, the listener and target group, the
route table, its route and subnet associations, the gateway attachment and the gateway), so they stay behind and the
VPC then refuses with DependencyViolation. On AWS, "CloudFormation deletes the resources in the reverse order of
their creation" (a resource before what it depends on), and the stack is gone with nothing left:
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-delete-stack.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html
("... during stack deletion, resources are deleted in the reverse order of creation").
"""
from __future__ import annotations

import re
from typing import Any, Callable

from moto_ext import ExtensionError, require

# DependsOn, Ref, Fn::GetAtt and Fn::Sub's ${Name} / ${Name.Attr}: how one resource names another in a template.
_SUB_REF = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}")


def _refs(node: Any) -> set[str]:
    """Every logical id `node` (a resource's JSON, or part of it) refers to."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                target = value[0] if isinstance(value, list) else str(value).split(".")[0]
                found.add(target)
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                if isinstance(text, str):
                    found.update(_SUB_REF.findall(text))
                if isinstance(value, list) and len(value) > 1:
                    found.update(_refs(value[1]))
            else:
                found.update(_refs(value))
    elif isinstance(node, list):
        for item in node:
            found.update(_refs(item))
    return found


def dependencies(resources: dict[str, Any]) -> dict[str, set[str]]:
    """logical id -> the logical ids of the stack's resources it depends on (explicitly or by reference)."""
    deps: dict[str, set[str]] = {}
    for name, body in resources.items():
        depends_on = body.get("DependsOn", [])
        explicit = {depends_on} if isinstance(depends_on, str) else set(depends_on)
        deps[name] = {d for d in explicit | _refs(body.get("Properties", {})) if d in resources and d != name}
    return deps


def deletion_order(resources: dict[str, Any]) -> list[str]:
    """The reverse of a creation order: each resource comes before everything it depends on."""
    deps = dependencies(resources)
    created: list[str] = []
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done or name in path:  # a cycle is a template error CloudFormation rejects; never loop on it
            return
        for dep in sorted(deps[name]):
            visit(dep, (*path, name))
        done.add(name)
        created.append(name)

    for name in resources:
        visit(name, ())
    return list(reversed(created))


def _deleters() -> dict[str, Callable[[Any, str, str], None]]:
    """type -> delete(instance, account, region), through the service backends, for the types moto cannot delete."""
    from moto.ec2.models import EC2Backend, ec2_backends  # noqa: PLC0415
    from moto.ecs.models import EC2ContainerServiceBackend, ecs_backends  # noqa: PLC0415
    from moto.elbv2.models import ELBv2Backend, elbv2_backends  # noqa: PLC0415

    ec2 = lambda a, r: ec2_backends[a][r]  # noqa: E731
    for backend, methods in (
        (EC2Backend, ["delete_route", "delete_route_table", "disassociate_route_table", "detach_internet_gateway",
                      "delete_internet_gateway", "detach_vpn_gateway"]),
        (EC2ContainerServiceBackend, ["delete_service", "delete_cluster", "deregister_task_definition"]),
        (ELBv2Backend, ["delete_listener", "delete_target_group"]),
    ):
        for method in methods:
            require(backend, method, "a service backend's delete")

    def route(i: Any, a: str, r: str) -> None:
        ec2(a, r).delete_route(i.route_table.id, i.destination_cidr_block, i.destination_ipv6_cidr_block,
                               i.destination_prefix_list.id if i.destination_prefix_list else None)

    def association(i: Any, a: str, r: str) -> None:
        # moto keeps only the (route table, subnet) pair in the CloudFormation model: find the association by them.
        table = ec2(a, r).get_route_table(i.route_table_id)
        for association_id, subnet_id in list(table._associations.items()):
            if subnet_id == i.subnet_id:
                ec2(a, r).disassociate_route_table(association_id)

    def attachment(i: Any, a: str, r: str) -> None:
        # Detaching is what lets the gateway, then the VPC, be deleted (DeleteInternetGateway refuses while attached):
        # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachInternetGateway.html
        if str(i.gateway_id).startswith("vgw-"):
            ec2(a, r).detach_vpn_gateway(i.gateway_id, i.vpc_id)
        else:
            ec2(a, r).detach_internet_gateway(i.gateway_id, i.vpc_id)

    return {
        "AWS::EC2::Route": route,
        "AWS::EC2::SubnetRouteTableAssociation": association,
        "AWS::EC2::RouteTable": lambda i, a, r: ec2(a, r).delete_route_table(i.id),
        "AWS::EC2::VPCGatewayAttachment": attachment,
        "AWS::EC2::InternetGateway": lambda i, a, r: ec2(a, r).delete_internet_gateway(i.id),
        # CloudFormation scales the service to 0 and deletes it; DescribeServices then answers it INACTIVE for a while:
        # https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html
        "AWS::ECS::Service": lambda i, a, r: ecs_backends[a][r].delete_service(i.cluster_name, i.name, force=True),
        # A deleted cluster is answered INACTIVE by DescribeClusters for a while, as moto's delete_cluster does:
        # https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCluster.html
        "AWS::ECS::Cluster": lambda i, a, r: ecs_backends[a][r].delete_cluster(i.name),
        # The revision is deregistered: INACTIVE, still describable, no longer usable for new tasks or services:
        # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deregister-task-definition.html
        "AWS::ECS::TaskDefinition": lambda i, a, r: ecs_backends[a][r].deregister_task_definition(i.arn),
        # The listener before its target group: DeleteTargetGroup refuses a group a listener still forwards to.
        "AWS::ElasticLoadBalancingV2::Listener": lambda i, a, r: elbv2_backends[a][r].delete_listener(i.arn),
        "AWS::ElasticLoadBalancingV2::TargetGroup": lambda i, a, r: elbv2_backends[a][r].delete_target_group(i.arn),
    }


def apply() -> str:
    from moto.cloudformation.parsing import ResourceMap  # noqa: PLC0415

    original_delete_resource = require(ResourceMap, "_delete_resource", "ResourceMap")
    require(ResourceMap, "delete", "ResourceMap")
    for internal in ("_resource_json_map", "_parsed_resources", "_account_id", "_region_name"):
        if internal not in ResourceMap.__init__.__code__.co_names:
            raise ExtensionError(f"ResourceMap no longer sets {internal!r}")
    deleters = _deleters()

    def delete_resource(self: Any, parsed_resource: Any, resource_json: dict[str, Any]) -> None:
        deleter = deleters.get(resource_json.get("Type", ""))
        if deleter is None:
            original_delete_resource(self, parsed_resource, resource_json)
        else:
            deleter(parsed_resource, self._account_id, self._region_name)

    def delete(self: Any) -> None:
        # One pass in reverse dependency order. A resource whose delete fails keeps what it depends on (CloudFormation
        # does not delete a resource still in use), and the first failure is raised, as moto's own delete does.
        # DeletionPolicy Retain: kept, and not deleted (what it depends on is still tried, as on AWS).
        resources = self._resource_json_map
        deps = dependencies(resources)
        failed: set[str] = set()
        failure: Exception | None = None
        for name in deletion_order(resources):
            body = resources[name]
            parsed = self._parsed_resources.get(name)
            if body.get("DeletionPolicy") == "Retain":
                continue
            if any(name in deps[other] for other in failed):
                failed.add(name)
                continue
            if parsed is None or isinstance(parsed, str):  # never created (a type moto skips), or a parameter
                continue
            try:
                self._delete_resource(parsed, body)
            except Exception as err:  # noqa: BLE001  (re-raised below, after the rest of the stack is tried)
                failure = failure or err
                failed.add(name)
            else:
                self._parsed_resources.pop(name, None)
        if failure is not None:
            raise failure

    ResourceMap._delete_resource = delete_resource
    ResourceMap.delete = delete
    return f"DeleteStack deletes in reverse dependency order; CloudFormation deletes for {len(deleters)} types moto lacks"
