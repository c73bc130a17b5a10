"""The ECS service keeps what the template (or CreateService) gives it.

moto 5.2.5's `Service.create_from_cloudformation_json` passes only the cluster, the name, the task definition and
`DesiredCount` to the backend ("# TODO: LoadBalancers"), so a service made by CloudFormation comes out as launch type
EC2, with no load balancers, no network configuration and desired count 0; its CreateService drops the deployment
configuration, the health check grace period and `enableECSManagedTags`. Here both paths hand moto's own backend
everything, and DescribeServices answers it back as AWS does (moto's serializer reads the attributes by their
snake_case names: `deployment_configuration` for `deploymentConfiguration`, and so on).

The properties are those of https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html
and the fields those of https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html.
"""
from __future__ import annotations

from typing import Any

from moto_ext import ExtensionError, require

# CloudFormation properties whose value, camelCased, is the API field of the same name; each is kept on the service
# under the attribute moto's serializer reads. (Tags, LaunchType and the rest go through create_service's own args.)
_KEPT = {
    "DeploymentConfiguration": "deployment_configuration",
    "HealthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "EnableECSManagedTags": "enable_ecs_managed_tags",
}


def _camel(value: Any, typed: bool = True) -> Any:
    """CloudFormation's PascalCase keys to the ECS API's camelCase (`AwsvpcConfiguration` -> `awsvpcConfiguration`),
    with the scalars typed as the API types them when `typed`: CloudFormation may hand a number or a boolean over as
    a string (from a parameter), and the API answers 200 and true, never "200" and "true". Tags are not typed: their
    values are strings whatever they look like."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _camel(v, typed) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v, typed) for v in value]
    if typed and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if typed and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _keep_extras(service: Any, fields: dict[str, Any]) -> None:
    """Sets the API fields moto's Service has no constructor argument for (values already camelCased)."""
    for attr, value in fields.items():
        if value is not None:
            setattr(service, attr, value)


def _extras_from_cfn(props: dict[str, Any]) -> dict[str, Any]:
    return {attr: _camel(props[key]) for key, attr in _KEPT.items() if key in props}


def _service_args(props: dict[str, Any]) -> dict[str, Any]:
    """create_service's keyword arguments from the template's properties (what moto's TODOs leave out)."""
    args: dict[str, Any] = {
        "load_balancers": _camel(props.get("LoadBalancers")),
        "network_configuration": _camel(props.get("NetworkConfiguration")),
        # The ECS API's tags are {key, value}, CloudFormation's {Key, Value}.
        "tags": _camel(props.get("Tags"), typed=False),
        "launch_type": props.get("LaunchType"),
        "platform_version": props.get("PlatformVersion"),
        "scheduling_strategy": props.get("SchedulingStrategy"),
        "deployment_controller": _camel(props.get("DeploymentController")),
        "role_arn": props.get("Role"),
    }
    # PropagateTags has a default of its own in create_service ("NONE"); pass it only when the template sets it.
    if "PropagateTags" in props:
        args["propagate_tags"] = props["PropagateTags"]
    return args


def _names(props: dict[str, Any], cluster_cls: type, task_def_cls: type) -> tuple[str, str]:
    """The cluster and task definition as moto's own code resolves them (a Ref is the model or its physical id)."""
    cluster = props["Cluster"].name if isinstance(props["Cluster"], cluster_cls) else props["Cluster"]
    task_def = props["TaskDefinition"]
    return cluster, task_def.family if isinstance(task_def, task_def_cls) else task_def


def apply() -> str:
    from moto.ecs import models as ecs_models  # noqa: PLC0415
    from moto.ecs import responses as ecs_responses  # noqa: PLC0415

    service_cls = require(ecs_models, "Service", "moto.ecs.models")
    cluster_cls = require(ecs_models, "Cluster", "moto.ecs.models")
    task_def_cls = require(ecs_models, "TaskDefinition", "moto.ecs.models")
    backends = require(ecs_models, "ecs_backends", "moto.ecs.models")
    backend_cls = require(ecs_models, "EC2ContainerServiceBackend", "moto.ecs.models")
    response_cls = require(ecs_responses, "EC2ContainerServiceResponse", "moto.ecs.responses")
    for name in ("create_service", "update_service", "delete_service"):
        require(backend_cls, name, "EC2ContainerServiceBackend")
    require(service_cls, "create_from_cloudformation_json", "moto.ecs.models.Service")
    require(service_cls, "update_from_cloudformation_json", "moto.ecs.models.Service")
    original_create_response = require(response_cls, "create_service", "EC2ContainerServiceResponse")
    if not hasattr(response_cls, "_get_param"):
        raise ExtensionError("EC2ContainerServiceResponse has no _get_param")

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # type: ignore[no-untyped-def]
        props = cloudformation_json["Properties"]
        cluster, task_def = _names(props, cluster_cls, task_def_cls)
        # "For new services, if a desired count is not specified, a default value of 1 is used." (the DesiredCount
        # property, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html#cfn-ecs-service-desiredcount);
        # moto's create_service makes it 0.
        desired = int(props.get("DesiredCount", 1))
        service = backends[account_id][region_name].create_service(
            cluster, resource_name, desired, task_definition_str=task_def, **_service_args(props)
        )
        _keep_extras(service, _extras_from_cfn(props))
        return service

    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):  # type: ignore[no-untyped-def]
        props = cloudformation_json["Properties"]
        cluster, task_def = _names(props, cluster_cls, task_def_cls)
        backend = backends[account_id][region_name]
        if original_resource.cluster_arn != cluster_cls(cluster, account_id, region_name).arn:
            # Another cluster replaces the service (as moto does); the new one is created as on a stack create.
            backend.delete_service(original_resource.cluster_name, original_resource.name, force=True)
            return create_from_cloudformation_json(cls, new_resource_name, cloudformation_json, account_id, region_name)
        # "For existing services, if a desired count is not specified, it is omitted from the operation" (same page):
        # update_service skips a None, so the count autoscaling (or anyone) chose is kept.
        update = {
            "cluster": cluster,
            "service": original_resource.name,
            "task_definition": task_def,
            "desired_count": props.get("DesiredCount"),
            "load_balancers": _camel(props.get("LoadBalancers")),
            "network_configuration": _camel(props.get("NetworkConfiguration")),
            "propagate_tags": props.get("PropagateTags"),
            **_extras_from_cfn(props),
        }
        return backend.update_service(update)

    def create_service(self):  # type: ignore[no-untyped-def]
        # moto's CreateService reads neither of these three; UpdateService already keeps them (it sets every
        # parameter it is given on the service, under the snake_case name).
        result = original_create_response(self)
        _keep_extras(result.result["service"], {
            "deployment_configuration": self._get_param("deploymentConfiguration"),
            "health_check_grace_period_seconds": self._get_param("healthCheckGracePeriodSeconds"),
            "enable_ecs_managed_tags": self._get_param("enableECSManagedTags"),
        })
        return result

    service_cls.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)
    service_cls.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)
    response_cls.create_service = create_service
    return ("AWS::ECS::Service keeps LoadBalancers, NetworkConfiguration, LaunchType, DeploymentConfiguration, "
            "HealthCheckGracePeriodSeconds, PropagateTags, EnableECSManagedTags and Tags, and starts at DesiredCount 1; "
            "CreateService keeps deploymentConfiguration, healthCheckGracePeriodSeconds and enableECSManagedTags")
