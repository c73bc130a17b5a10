"""CloudFormation models for the four resource types of hello-world-infra.yaml that moto 5.2.5 skips.

moto creates nothing for AWS::CloudWatch::Alarm, AWS::SNS::Subscription, AWS::ApplicationAutoScaling::ScalableTarget
and ::ScalingPolicy (it logs "No Moto CloudFormation support" and lists an anonymous row). The models below create
them through moto's own service backends, so DescribeAlarms, ListSubscriptionsByTopic, DescribeScalableTargets and
DescribeScalingPolicies see what the stack made, and deleting the stack removes it.

moto builds its type map from CloudFormationModel.__subclasses__() (moto/cloudformation/parsing.py, get_model_map,
lru_cached): these classes exist once this module is imported, and apply() clears the cache in case it was filled.
"""
from __future__ import annotations

import importlib
from typing import Any

from moto.core.common_models import CloudFormationModel

from moto_ext import ExtensionError, require

TYPES = (
    "AWS::CloudWatch::Alarm",
    "AWS::SNS::Subscription",
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
)

# The moto internals used, filled by apply() once each is checked.
_m: dict[str, Any] = {}


def _props(cloudformation_json: dict[str, Any]) -> dict[str, Any]:
    return cloudformation_json.get("Properties", {})


class _Model:
    """What the four share (a mixin: moto lists only the direct subclasses of CloudFormationModel): no name property unless given, every GetAtt the class lists, nothing asynchronous."""

    ATTRS: tuple[str, ...] = ()

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRS

    def is_created(self) -> bool:
        return True

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> Any:
        # Replacement: the old one goes, the new one is made from the new properties. (The alarm overrides this
        # to keep its state, as AWS does.)
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)


# --------------------------------------------------------------------------------------------- CloudWatch alarm
# https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html
# Ref is the alarm name, GetAtt Arn its ARN. "When this operation creates an alarm, the alarm state is immediately set
# to INSUFFICIENT_DATA ... When you update an existing alarm, its state is left unchanged" (moto's PutMetricAlarm
# starts every alarm at OK).
class CfnAlarm(_Model, CloudFormationModel):
    ATTRS = ("Arn",)

    def __init__(self, alarm: Any):
        self.alarm = alarm

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AlarmName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @property
    def physical_resource_id(self) -> str:
        return self.alarm.name

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "Arn":
            return self.alarm.alarm_arn
        raise _m["UnformattedGetAttTemplateException"]()

    @staticmethod
    def _put(name: str, p: dict[str, Any], account_id: str, region_name: str) -> Any:
        cw = _m["cloudwatch"]

        def dims(ds: list[dict[str, str]] | None) -> list[Any]:
            return [cw.Dimension(name=d.get("Name"), value=d.get("Value")) for d in ds or []]

        queries = []
        # The same translation moto's own PutMetricAlarm handler does (moto/cloudwatch/responses.py).
        for q in p.get("Metrics", []):
            stat = q.get("MetricStat")
            metric_stat = None
            if stat and stat.get("Metric", {}).get("MetricName"):
                metric = stat["Metric"]
                metric_stat = cw.MetricStat(
                    metric=cw.Metric(metric_name=metric["MetricName"], namespace=metric.get("Namespace"), dimensions=dims(metric.get("Dimensions"))),
                    period=stat.get("Period"), stat=stat.get("Stat"), unit=stat.get("Unit"),
                )
            queries.append(cw.MetricDataQuery(
                query_id=q.get("Id"), label=q.get("Label"), period=q.get("Period"), return_data=q.get("ReturnData"),
                expression=q.get("Expression"), metric_stat=metric_stat,
            ))
        return cw.cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=name, namespace=p.get("Namespace"), metric_name=p.get("MetricName"), metric_data_queries=queries or None,
            comparison_operator=p.get("ComparisonOperator"), evaluation_periods=p.get("EvaluationPeriods"),
            datapoints_to_alarm=p.get("DatapointsToAlarm"), period=p.get("Period"), threshold=p.get("Threshold"),
            statistic=p.get("Statistic"), extended_statistic=p.get("ExtendedStatistic"), description=p.get("AlarmDescription"),
            dimensions=p.get("Dimensions", []), alarm_actions=p.get("AlarmActions", []), ok_actions=p.get("OKActions", []),
            insufficient_data_actions=p.get("InsufficientDataActions", []), unit=p.get("Unit"),
            actions_enabled=p.get("ActionsEnabled", True), treat_missing_data=p.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=p.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=p.get("ThresholdMetricId"), tags=p.get("Tags", []),
        )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CfnAlarm:
        alarm = cls._put(resource_name, _props(cloudformation_json), account_id, region_name)
        alarm.state_value = "INSUFFICIENT_DATA"
        return cls(alarm)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> CfnAlarm:
        old = original_resource.alarm
        if new_resource_name != old.name:  # a new AlarmName replaces the alarm
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        alarm = cls._put(new_resource_name, _props(cloudformation_json), account_id, region_name)
        alarm.state_value, alarm.state_reason, alarm.state_updated_timestamp = old.state_value, old.state_reason, old.state_updated_timestamp
        return cls(alarm)

    def delete(self, account_id: str, region_name: str) -> None:
        _m["cloudwatch"].cloudwatch_backends[account_id][region_name].delete_alarms([self.alarm.name])


# ------------------------------------------------------------------------------------------- SNS subscription
# https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html: "If the endpoint type is HTTP/S or email, or if the
# endpoint and the topic are not in the same AWS account, the endpoint owner must run the ConfirmSubscription action
# to confirm the subscription." Until then the subscription is pending: GetSubscriptionAttributes says
# PendingConfirmation "true", and ListSubscriptions(ByTopic) shows SubscriptionArn "PendingConfirmation"
# (https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html). moto confirms every subscription at once.
# Ref is the subscription ARN, and its Arn attribute
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html).
_NEEDS_CONFIRMATION = ("email", "email-json", "http", "https")


class _PendingListing:
    # moto's serializer takes an object's explicit alias first (moto/core/serialize.py, ExplicitAlias): the listings
    # read SubscriptionArn from `listed_arn`, while the backend keeps indexing the subscription by its real ARN.
    serialization_aliases = {"SubscriptionArn": "listed_arn"}


class CfnSubscription(_Model, CloudFormationModel):
    ATTRS = ("Arn",)

    def __init__(self, subscription: Any):
        self.subscription = subscription

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::Subscription"

    @property
    def physical_resource_id(self) -> str:
        return self.subscription.arn

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "Arn":
            return self.subscription.arn
        raise _m["UnformattedGetAttTemplateException"]()

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CfnSubscription:
        p = _props(cloudformation_json)
        backend = _m["sns"].sns_backends[account_id][region_name]
        sub = backend.subscribe(p["TopicArn"], p.get("Endpoint"), p["Protocol"])
        if p["Protocol"] in _NEEDS_CONFIRMATION:
            sub.attributes["PendingConfirmation"] = "true"
            sub.attributes["ConfirmationWasAuthenticated"] = "false"
            sub.Meta = _PendingListing
            sub.listed_arn = "PendingConfirmation"
        return cls(sub)

    def delete(self, account_id: str, region_name: str) -> None:
        _m["sns"].sns_backends[account_id][region_name].unsubscribe(self.subscription.arn)


# --------------------------------------------------------------------------------- Application Auto Scaling
# https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationautoscaling-scalabletarget.html:
# Ref is "the CloudFormation-generated ID of the resource", `<ResourceId>|<ScalableDimension>|<ServiceNamespace>`
# (e.g. service/cluster/service|ecs:service:DesiredCount|ecs), which a ScalingPolicy's ScalingTargetId takes.
# The ECS service must exist first (moto checks, as AWS does); the template's `!Sub service/${Cluster}/${Service.Name}`
# makes CloudFormation, and moto's lazy resource map, create the service before the target.
class CfnScalableTarget(_Model, CloudFormationModel):
    def __init__(self, target: Any):
        self.target = target

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApplicationAutoScaling::ScalableTarget"

    @property
    def physical_resource_id(self) -> str:
        t = self.target
        return f"{t.resource_id}|{t.scalable_dimension}|{t.service_namespace}"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CfnScalableTarget:
        p = _props(cloudformation_json)
        backend = _m["aas"].applicationautoscaling_backends[account_id][region_name]
        target = backend.register_scalable_target(
            namespace=p["ServiceNamespace"], r_id=p["ResourceId"], dimension=p["ScalableDimension"],
            min_capacity=p.get("MinCapacity"), max_capacity=p.get("MaxCapacity"), role_arn=p.get("RoleARN"),
            suspended_state=p.get("SuspendedState"),
        )
        return cls(target)

    def delete(self, account_id: str, region_name: str) -> None:
        # "Deregistering a scalable target deletes the scaling policies and the scheduled actions that are associated
        # with it" (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeregisterScalableTarget.html);
        # moto's deregister leaves them, so their removal is done here. Already gone counts as deleted.
        backend = _m["aas"].applicationautoscaling_backends[account_id][region_name]
        t = self.target
        for key, policy in list(backend.policies.items()):
            if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (t.service_namespace, t.resource_id, t.scalable_dimension):
                policy.delete_alarms(account_id, region_name)
                del backend.policies[key]
        if t.resource_id in backend.targets.get(t.scalable_dimension, {}):
            backend.deregister_scalable_target(t.service_namespace, t.resource_id, t.scalable_dimension)


# https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationautoscaling-scalingpolicy.html:
# Ref and GetAtt Arn are the policy ARN. The target is named by ScalingTargetId or by the three properties.
class CfnScalingPolicy(_Model, CloudFormationModel):
    ATTRS = ("Arn",)

    def __init__(self, policy: Any):
        self.policy = policy

    @staticmethod
    def cloudformation_name_type() -> str:
        return "PolicyName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApplicationAutoScaling::ScalingPolicy"

    @property
    def physical_resource_id(self) -> str:
        return self.policy.policy_arn

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "Arn":
            return self.policy.policy_arn
        raise _m["UnformattedGetAttTemplateException"]()

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CfnScalingPolicy:
        p = _props(cloudformation_json)
        if "ScalingTargetId" in p:
            resource_id, dimension, namespace = p["ScalingTargetId"].split("|")
        else:
            resource_id, dimension, namespace = p["ResourceId"], p["ScalableDimension"], p["ServiceNamespace"]
        policy_type = p.get("PolicyType")
        body = p.get("TargetTrackingScalingPolicyConfiguration") if policy_type == "TargetTrackingScaling" else p.get("StepScalingPolicyConfiguration")
        backend = _m["aas"].applicationautoscaling_backends[account_id][region_name]
        policy = backend.put_scaling_policy(
            policy_name=resource_name, service_namespace=namespace, resource_id=resource_id, scalable_dimension=dimension,
            policy_body=body or {}, policy_type=policy_type,
        )
        return cls(policy)

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _m["aas"].applicationautoscaling_backends[account_id][region_name]
        pol = self.policy
        key = _m["aas"].FakeApplicationAutoscalingPolicy.formulate_key(pol.service_namespace, pol.resource_id, pol.scalable_dimension, pol.policy_name)
        if key in backend.policies:  # the target's deregistration may have removed it already
            backend.delete_scaling_policy(pol.policy_name, pol.service_namespace, pol.resource_id, pol.scalable_dimension)


def apply() -> str:
    """Checks every moto internal the models use, then makes moto's CloudFormation see them."""
    cw = importlib.import_module("moto.cloudwatch.models")
    sns = importlib.import_module("moto.sns.models")
    aas = importlib.import_module("moto.applicationautoscaling.models")
    parsing = importlib.import_module("moto.cloudformation.parsing")
    exceptions = importlib.import_module("moto.cloudformation.exceptions")
    for name in ("cloudwatch_backends", "Dimension", "Metric", "MetricStat", "MetricDataQuery"):
        require(cw, name, "moto.cloudwatch.models")
    for name in ("put_metric_alarm", "delete_alarms"):
        require(cw.CloudWatchBackend, name, "CloudWatchBackend")
    require(sns, "sns_backends", "moto.sns.models")
    for name in ("subscribe", "unsubscribe"):
        require(sns.SNSBackend, name, "SNSBackend")
    for name in ("applicationautoscaling_backends", "FakeApplicationAutoscalingPolicy"):
        require(aas, name, "moto.applicationautoscaling.models")
    for name in ("register_scalable_target", "deregister_scalable_target", "put_scaling_policy", "delete_scaling_policy"):
        require(aas.ApplicationAutoscalingBackend, name, "ApplicationAutoscalingBackend")
    require(aas.FakeApplicationAutoscalingPolicy, "formulate_key", "FakeApplicationAutoscalingPolicy")
    get_model_map = require(parsing, "get_model_map", "moto.cloudformation.parsing")
    require(get_model_map, "cache_clear", "moto.cloudformation.parsing.get_model_map (lru_cache)")
    require(parsing, "get_model_list", "moto.cloudformation.parsing")
    require(parsing, "get_name_type_map", "moto.cloudformation.parsing")
    _m.update(cloudwatch=cw, sns=sns, aas=aas, UnformattedGetAttTemplateException=require(exceptions, "UnformattedGetAttTemplateException", "moto.cloudformation.exceptions"))

    # moto's own model for any of these types would clash with ours: a moto that has one is not the one these are for.
    native = [t for t in TYPES if any(m.cloudformation_type() == t for m in CloudFormationModel.__subclasses__() if not issubclass(m, _Model))]
    if native:
        raise ExtensionError(f"moto already models {', '.join(native)}")
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    missing = [t for t in TYPES if t not in parsing.get_model_map()]
    if missing:
        raise ExtensionError(f"CloudFormation does not see the models for {', '.join(missing)}")
    return "CloudFormation creates, updates and deletes " + ", ".join(TYPES)
