"""AWS::CertificateManager::Certificate for CloudFormation, and ACM's DNS validation, on moto's ACM and Route 53.

moto 5.2.5 has no CloudFormation model for the certificate (the stack lists an anonymous row and the listener gets no
ARN), and its ACM issues every requested certificate 60 seconds after the request (settings.ACM_VALIDATION_WAIT),
whatever DNS says. AWS issues a DNS-validated certificate once the validation CNAME DescribeCertificate names is in
the domain's DNS (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html), and CloudFormation writes that
CNAME itself only when DomainValidationOptions names the HostedZoneId; otherwise the stack stays CREATE_IN_PROGRESS
until someone adds it (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-certificatemanager-certificate.html).
Here:
- CfnCertificate: RequestCertificate through moto's ACM backend; with a HostedZoneId for the domain it UPSERTs the
  validation CNAME into that moto Route 53 zone. Ref is the ARN. Deleting it deletes the certificate and leaves the
  CNAME, as CloudFormation does (another certificate for the same name validates with the same record).
- CertBundle.check (what every ACM read runs): a DNS-validated AMAZON_ISSUED certificate turns ISSUED once each of its
  validation CNAMEs is in one of the account's moto hosted zones, with ACM's value; never on a timer.
- Until then the certificate is not created (is_created() False), so the stack stays CREATE_IN_PROGRESS as on AWS;
  DescribeStacks re-checks such stacks (moto's own Stack.verify_readiness, which it otherwise runs only for custom
  resources), so adding the CNAME later completes the stack. Unlike AWS, the resources after the certificate (the
  listener that uses it, the service) are already made: moto creates a stack in one pass.
- FakeLoadBalancer's GetAtt CanonicalHostedZoneID, which moto lists but raises NotImplementedError for: the alias
  record needs it. It returns moto's fixed zone ID for every load balancer (Z2P70J7EXAMPLE).
- Stack.stack_resources (DescribeStackResource(s), ListStackResources): a resource whose Condition is false (the
  certificate and the record of a deploy without a domain) is not listed, as on AWS; moto lists an anonymous row for
  it, as for a type it does not model.
moto's own AWS::Route53::RecordSet model stores an AliasTarget as given (no check that the target exists) and lists it
in ListResourceRecordSets; deleting the stack deletes the record.
"""
from __future__ import annotations

import importlib
from typing import Any

from moto.core.common_models import CloudFormationModel

from moto_ext import ExtensionError, require

TYPE = "AWS::CertificateManager::Certificate"

_m: dict[str, Any] = {}


def _norm(name: str) -> str:
    return name.rstrip(".").lower()


def _arn_parts(arn: str) -> tuple[str, str, str]:
    """(partition, region, account) of an ACM ARN."""
    parts = arn.split(":")
    return parts[1], parts[3], parts[4]


def _zones(account_id: str, partition: str) -> list[Any]:
    return list(_m["route53"].route53_backends[account_id][partition].zones.values())


def validation_records(cert: Any) -> list[dict[str, str]]:
    """The CNAMEs ACM asks for (moto's DescribeCertificate: one per name, the same for every certificate of a name)."""
    options = cert.describe()["Certificate"].get("DomainValidationOptions", [])
    return [o["ResourceRecord"] for o in options if o.get("ValidationMethod") == "DNS" and o.get("ResourceRecord")]


def _record_present(account_id: str, partition: str, record: dict[str, str]) -> bool:
    name, value = _norm(record["Name"]), _norm(record["Value"])
    for zone in _zones(account_id, partition):
        for rrset in zone.rrsets:
            # The API stores values as strings, moto's own zone set-up as {"Value": ...}.
            values = [v if isinstance(v, str) else v.get("Value", "") for v in rrset.records or []]
            if rrset.type == "CNAME" and _norm(rrset.name) == name and any(_norm(v) == value for v in values):
                return True
    return False


def _validated(cert: Any) -> bool:
    partition, _region, account_id = _arn_parts(cert.arn)
    records = validation_records(cert)
    return bool(records) and all(_record_present(account_id, partition, r) for r in records)


def _check(self: Any) -> None:
    # moto's check without the timer: expiry first, then issuance once DNS says so.
    if self._not_valid_after(self._cert) <= _m["utcnow"]():
        self.status = "EXPIRED"
        return
    if self.type == "AMAZON_ISSUED" and self.status == "PENDING_VALIDATION" and _validated(self):
        self.status = "ISSUED"


class CfnCertificate(CloudFormationModel):
    def __init__(self, arn: str, account_id: str, region_name: str):
        self.arn = arn
        self.account_id = account_id
        self.region_name = region_name

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def cloudformation_type() -> str:
        return TYPE

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    @property
    def physical_resource_id(self) -> str:
        return self.arn

    def _backend(self) -> Any:
        return _m["acm"].acm_backends[self.account_id][self.region_name]

    def is_created(self) -> bool:
        # Not created until issued: CloudFormation reports CREATE_COMPLETE for the certificate only then.
        try:
            return self._backend().get_certificate(self.arn).status == "ISSUED"
        except Exception:  # noqa: BLE001  (deleted under the stack: nothing left to wait for)
            return True

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CfnCertificate:
        p = cloudformation_json.get("Properties", {})
        if p.get("ValidationMethod", "DNS") != "DNS":
            raise ExtensionError(f"{TYPE}: only DNS validation is emulated (got {p.get('ValidationMethod')!r})")
        backend = _m["acm"].acm_backends[account_id][region_name]
        arn = backend.request_certificate(
            domain_name=p["DomainName"], idempotency_token=None, subject_alt_names=p.get("SubjectAlternativeNames") or [],
            tags=p.get("Tags") or [],
        )
        cert = backend.get_certificate(arn)
        partition = _arn_parts(arn)[0]
        zone_of = {_norm(o["DomainName"]): o.get("HostedZoneId") for o in p.get("DomainValidationOptions") or [] if o.get("HostedZoneId")}
        for option in cert.describe()["Certificate"].get("DomainValidationOptions", []):
            zone_id = zone_of.get(_norm(option["DomainName"]))
            if not zone_id:
                continue  # the CNAME is the user's to add at their DNS provider: the certificate waits
            record = option["ResourceRecord"]
            zone = _m["route53"].route53_backends[account_id][partition].get_hosted_zone(zone_id)
            fqdn = record["Name"] if record["Name"].endswith(".") else f'{record["Name"]}.'
            zone.upsert_rrset({"Name": fqdn, "Type": "CNAME", "TTL": 300, "ResourceRecords": [record["Value"]]})
            # Journaled as ChangeResourceRecordSets would: moto lets a DELETE through only for a record in its change
            # journal, and on AWS the record CloudFormation wrote can be deleted like any other.
            zone.rr_changes.append({"Action": "CREATE", "ResourceRecordSet": {
                "Name": fqdn, "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": record["Value"]}]}})
        cert.check()
        return cls(arn, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> CfnCertificate:
        # Every property of the certificate but Tags needs replacement (the AWS page above): a new one, the old goes.
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        backend = self._backend()
        if self.arn in backend._certificates:
            backend.delete_certificate(self.arn)


def _describe_stacks(original: Any) -> Any:
    def describe_stacks(self: Any, name_or_stack_id: str) -> Any:
        stacks = original(self, name_or_stack_id)
        for stack in stacks:
            if stack.status == "CREATE_IN_PROGRESS":
                stack.verify_readiness()
        return stacks

    return describe_stacks


def _stack_resources(self: Any) -> list[Any]:
    rm = self.resource_map
    listed = []
    for logical_id in list(rm.resources):
        condition = (rm._resource_json_map.get(logical_id) or {}).get("Condition")
        if condition and not rm.lazy_condition_map[condition]:
            continue  # not created, so not listed
        listed.append(rm[logical_id])
    return listed


def _lb_get_cfn_attribute(original: Any) -> Any:
    def get_cfn_attribute(self: Any, attribute_name: str) -> Any:
        if attribute_name == "CanonicalHostedZoneID":
            return self.canonical_hosted_zone_id
        return original(self, attribute_name)

    return get_cfn_attribute


def apply() -> str:
    acm = importlib.import_module("moto.acm.models")
    route53 = importlib.import_module("moto.route53.models")
    elbv2 = importlib.import_module("moto.elbv2.models")
    cfn = importlib.import_module("moto.cloudformation.models")
    parsing = importlib.import_module("moto.cloudformation.parsing")
    require(acm, "acm_backends", "moto.acm.models")
    for name in ("request_certificate", "get_certificate", "delete_certificate"):
        require(acm.AWSCertificateManagerBackend, name, "AWSCertificateManagerBackend")
    for name in ("check", "describe", "_not_valid_after"):
        require(acm.CertBundle, name, "CertBundle")
    require(route53, "route53_backends", "moto.route53.models")
    require(route53.FakeZone, "upsert_rrset", "FakeZone")
    require(route53.Route53Backend, "get_hosted_zone", "Route53Backend")
    require(elbv2.FakeLoadBalancer, "get_cfn_attribute", "FakeLoadBalancer")
    require(cfn.CloudFormationBackend, "describe_stacks", "CloudFormationBackend")
    require(cfn.Stack, "verify_readiness", "Stack")
    if not isinstance(require(cfn.Stack, "stack_resources", "Stack"), property):
        raise ExtensionError("moto.cloudformation.models.Stack.stack_resources is not a property")
    # (_resource_json_map and lazy_condition_map are instance attributes, set by ResourceMap's load; `resources` lists the ids.)
    require(parsing.ResourceMap, "resources", "ResourceMap")
    _m.update(acm=acm, route53=route53, utcnow=require(acm, "utcnow", "moto.acm.models"))

    if any(m.cloudformation_type() == TYPE for m in CloudFormationModel.__subclasses__() if m is not CfnCertificate):
        raise ExtensionError(f"moto already models {TYPE}")
    acm.CertBundle.check = _check
    elbv2.FakeLoadBalancer.get_cfn_attribute = _lb_get_cfn_attribute(elbv2.FakeLoadBalancer.get_cfn_attribute)
    cfn.CloudFormationBackend.describe_stacks = _describe_stacks(cfn.CloudFormationBackend.describe_stacks)
    cfn.Stack.stack_resources = property(_stack_resources)
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    if TYPE not in parsing.get_model_map():
        raise ExtensionError(f"CloudFormation does not see the model for {TYPE}")
    return (f"CloudFormation creates {TYPE} (DNS validation: issued once the validation CNAME is in a Route 53 zone, "
            "written there with HostedZoneId); load balancers' CanonicalHostedZoneID; no rows for resources whose Condition is false")
