"""Three CloudFormation behaviours moto 5.2 gets wrong, which otherwise force workarounds in hello-deploy:

1. A stack created through a CREATE change set gets its outputs (and its exports and stack tags), as CreateStack's
   does; moto built the stack from an empty template and never looks at the change set's outputs.
2. "No updates are to be performed": UpdateStack of the same template, parameter values and tags fails with that
   ValidationError, and a change set that changes nothing goes FAILED with AWS's reason (moto compares only the
   parameters passed, not the defaults or previous values that make up the rest, and fails CreateChangeSet itself).
3. Parameter constraints (AllowedValues, AllowedPattern, MinLength, MaxLength of a String parameter) are enforced
   by CreateStack, UpdateStack and CreateChangeSet, before anything is created; then the template's Rules
   (cfn_rules.py), over the passed values, the previous ones kept with UsePreviousValue, and the defaults.
4. A record CloudFormation creates (AWS::Route53::RecordSet) can be deleted with ChangeResourceRecordSets, as on AWS:
   moto accepts a DELETE only for a record in its change journal and matches it by its fully qualified name, and
   wrote the stack's records around the journal and without the final dot (so
   `deploy --local --domain`'s teardown could not empty the zone).
"""
from __future__ import annotations

import re
from typing import Any

from moto_ext import require
from moto_ext.cfn_rules import rule_violation

# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html and
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html ("No updates are to be performed")
NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set."
NO_UPDATES = "No updates are to be performed."


def _text(value: Any) -> str | None:
    """A resolved parameter value as it was submitted: moto turns Number into int and lists into Python lists."""
    if value is None:
        return None
    return ",".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _template(body: Any) -> dict[str, Any]:
    from moto.cloudformation.models import Stack  # noqa: PLC0415

    return body if isinstance(body, dict) else Stack.parse_template(body)


def _use_previous(p: dict[str, Any]) -> bool:
    return str(p.get("UsePreviousValue", "")).lower() == "true"


def unchanged(stack: Any, body: Any, submitted: dict[str, str | None], tags: dict[str, str] | None) -> bool:
    """Would this submission change nothing? `submitted`: the parameters passed, None for UsePreviousValue.

    Compared as CloudFormation does: the template (parsed, so its layout does not count), every parameter's value
    (passed, previous, or the template's Default when not passed: UpdateStack does not keep an unpassed value), and
    the stack tags (not passing tags keeps them):
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStack.html
    """
    new = _template(body)
    if new != _template(stack.template):
        return False
    previous = {k: _text(v) for k, v in stack.resource_map.resolved_parameters.items()}
    values: dict[str, str | None] = {}
    for name, spec in (new.get("Parameters") or {}).items():
        if name in submitted:
            values[name] = previous.get(name) if submitted[name] is None else submitted[name]
        else:
            values[name] = _text(spec.get("Default"))
    return values == previous and (tags is None or tags == stack.tags)


def violation(template: dict[str, Any], values: dict[str, Any]) -> str | None:
    """The ValidationError message for the first passed value that breaks its parameter's constraints, if any.

    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html: AllowedPattern
    must match the whole value ("Parameter 'P' must match pattern ..." when the parameter has no
    ConstraintDescription), and a ConstraintDescription replaces the reason ("failed to satisfy constraint: ...").
    """
    for name, value in values.items():
        spec = (template.get("Parameters") or {}).get(name)
        if spec is None or value is None or spec.get("Type", "String") != "String":
            continue
        value = str(value)
        pattern = spec.get("AllowedPattern")
        try:
            pattern_fails = pattern is not None and re.fullmatch(str(pattern), value) is None
        except re.error:  # a Java-only construct: AWS would judge it; do not refuse what we cannot read
            pattern_fails = False
        allowed = [str(v) for v in spec.get("AllowedValues", [])]
        reasons = [
            ("AllowedValues" in spec and value not in allowed, "must be one of AllowedValues"),
            (pattern_fails, f"must match pattern {pattern}"),
            ("MinLength" in spec and len(value) < int(spec["MinLength"]),
             f"must contain at least {spec.get('MinLength')} characters"),
            ("MaxLength" in spec and len(value) > int(spec["MaxLength"]),
             f"must contain at most {spec.get('MaxLength')} characters"),
        ]
        for failed, reason in reasons:
            if failed:
                described = spec.get("ConstraintDescription")
                return f"Parameter '{name}' " + (f"failed to satisfy constraint: {described}" if described else reason)
    return None


def apply() -> str:
    from moto.cloudformation.exceptions import ValidationError  # noqa: PLC0415
    from moto.cloudformation.models import CloudFormationBackend, Stack  # noqa: PLC0415
    from moto.cloudformation.responses import CloudFormationResponse  # noqa: PLC0415
    from moto.ec2 import models as ec2_models  # noqa: PLC0415
    from moto.ec2.models.core import TaggedEC2Resource  # noqa: PLC0415

    create_stack = require(CloudFormationBackend, "create_stack", "CloudFormationBackend")
    update_stack = require(CloudFormationBackend, "update_stack", "CloudFormationBackend")
    create_change_set = require(CloudFormationBackend, "create_change_set", "CloudFormationBackend")
    execute_change_set = require(CloudFormationBackend, "execute_change_set", "CloudFormationBackend")
    require(CloudFormationResponse, "_validate_different_update", "CloudFormationResponse")
    for attr in ("_create_output_map", "_parse_template", "parse_template"):
        require(Stack, attr, "Stack")

    from moto.route53.models import RecordSet  # noqa: PLC0415

    create_record = require(RecordSet, "create_from_cloudformation_json", "RecordSet").__func__  # type: ignore[attr-defined]

    def journaled_record(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kw: Any) -> Any:
        record = create_record(cls, resource_name, cloudformation_json, account_id, region_name, **kw)
        # Stored fully qualified, as ChangeResourceRecordSets stores names: moto's DELETE matches "name." only.
        if not record.name.endswith("."):
            record.name += "."
        p = cloudformation_json["Properties"]
        rrset = {k: p[k] for k in ("Name", "Type", "AliasTarget", "SetIdentifier") if k in p}
        if "TTL" in p:
            rrset |= {"TTL": int(p["TTL"]), "ResourceRecords": [{"Value": str(v)} for v in p.get("ResourceRecords") or []]}
        from moto.route53.models import route53_backends  # noqa: PLC0415
        from moto.utilities.utils import get_partition  # noqa: PLC0415

        backend = route53_backends[account_id][get_partition(region_name)]
        zone = backend.get_hosted_zone_by_name(p["HostedZoneName"]) if p.get("HostedZoneName") else None
        zone = zone or backend.get_hosted_zone(p["HostedZoneId"])
        zone.rr_changes.append({"Action": "CREATE", "ResourceRecordSet": rrset})
        return record

    def check(template: Any, values: dict[str, Any], kept: dict[str, Any] | None = None) -> None:
        if not template:
            return
        parsed = _template(template)
        message = violation(parsed, values) or rule_violation(parsed, {**(kept or {}), **values})
        if message:
            raise ValidationError(message=message)

    def checked_create_stack(self: Any, name: str, template: str, parameters: dict[str, Any], *a: Any, **kw: Any) -> Any:
        check(template, parameters)
        return create_stack(self, name, template, parameters, *a, **kw)

    def checked_update_stack(self: Any, name: str, template: str, role_arn: Any, parameters: list[dict[str, Any]], tags: Any) -> Any:
        kept: dict[str, Any] = {}
        previous = [p["ParameterKey"] for p in parameters if _use_previous(p)]
        stack = next((s for s in self.stacks.values() if name in (s.name, s.stack_id)), None) if previous else None
        if stack is not None:
            # UsePreviousValue: the rules see the value the stack has (UpdateStack's own rule for it).
            resolved = stack.resource_map.resolved_parameters
            kept = {k: _text(resolved.get(k)) for k in previous if k in resolved}
        check(template, {p["ParameterKey"]: p.get("ParameterValue") for p in parameters if not _use_previous(p)}, kept)
        return update_stack(self, name, template, role_arn, parameters, tags)

    def checked_create_change_set(
        self: Any, stack_name: str, change_set_name: str, template: str, parameters: dict[str, Any], *a: Any, **kw: Any
    ) -> Any:
        check(template, parameters)
        change_set_id, stack_id = create_change_set(self, stack_name, change_set_name, template, parameters, *a, **kw)
        change_set = self.change_sets[change_set_id]
        if change_set.change_set_type == "UPDATE":
            # Decided here, for every change set, instead of moto's comparison of the passed parameters alone.
            if unchanged(change_set.stack, template, dict(parameters), change_set.tags or None):
                outcome = ("FAILED", "UNAVAILABLE", NO_CHANGES)
            else:
                outcome = ("CREATE_COMPLETE", "AVAILABLE", None)
            change_set.status, change_set.execution_status, change_set.status_reason = outcome
        return change_set_id, stack_id

    def validate_different_update(self: Any, incoming_params: Any, stack_body: Any, old_stack: Any) -> None:
        # CreateChangeSet does not fail: its change set goes FAILED (checked_create_change_set). UpdateStack does.
        if self._get_action() != "UpdateStack" or not stack_body:
            return
        submitted = {
            p["ParameterKey"]: None if _use_previous(p) else p.get("ParameterValue") for p in incoming_params or []
        }
        tags = {t["Key"]: t["Value"] for t in self._get_param("Tags", [])} or None
        if unchanged(old_stack, stack_body, submitted, tags):
            raise ValidationError(old_stack.name, message=NO_UPDATES)

    def complete_execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.describe_change_set(change_set_name)
        execute_change_set(self, change_set_name, stack_name)
        stack = self.stacks[change_set.stack_id]
        # The stack now stands on the change set's template: outputs (and exports) come from it, as after CreateStack
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets-execute.html
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        if change_set.parameters:
            stack.parameters = change_set.parameters
        stack.output_map = stack._create_output_map()
        if change_set.change_set_type == "CREATE":
            self._validate_export_uniqueness(stack)
            # CreateStack tags each EC2 resource with the stack's name, id and the resource's logical id; moto's
            # change-set path skips it, and destroy finds the network by those tags.
            resources = stack.resource_map
            tags = {**resources.tags, "aws:cloudformation:stack-name": stack.name,
                    "aws:cloudformation:stack-id": stack.stack_id}
            for logical_id, instance in list(resources._parsed_resources.items()):
                if isinstance(instance, TaggedEC2Resource):
                    backend = ec2_models.ec2_backends[self.account_id][self.region_name]
                    logical = {"aws:cloudformation:logical-id": logical_id}
                    backend.create_tags([instance.physical_resource_id], {**tags, **logical})
        for export in stack.exports:
            self.exports[export.name] = export

    RecordSet.create_from_cloudformation_json = classmethod(journaled_record)  # type: ignore[method-assign,assignment]
    CloudFormationBackend.create_stack = checked_create_stack
    CloudFormationBackend.update_stack = checked_update_stack
    CloudFormationBackend.create_change_set = checked_create_change_set
    CloudFormationBackend.execute_change_set = complete_execute_change_set
    CloudFormationResponse._validate_different_update = validate_different_update
    return "outputs after a CREATE change set; 'No updates are to be performed' / FAILED empty change sets; parameter constraints and Rules"
