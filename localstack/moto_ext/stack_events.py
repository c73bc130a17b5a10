"""Per-resource stack events, as CloudFormation records them.

moto 5.2.5 records stack-level events only (`Stack._add_stack_event`: the stack's own CREATE_IN_PROGRESS,
CREATE_COMPLETE, ...). AWS records one event per resource and status change, each naming the resource's logical id,
type and physical id (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackEvent.html), and
DescribeStackEvents "returns all stack related events for a specified stack in reverse chronological order"
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackEvents.html; moto already answers
its list newest first). So progress panes and failure diagnosis have something to show on the emulator, the three
places moto creates, updates and deletes a resource of a stack record events too:

- `parsing.parse_and_create_resource` (every create, also the resources a stack update adds): CREATE_IN_PROGRESS then
  CREATE_COMPLETE, or CREATE_FAILED with the error as the reason (and the error goes on as before);
- `parsing.parse_and_update_resource` (a resource the update modifies): UPDATE_IN_PROGRESS then UPDATE_COMPLETE;
- `ResourceMap._delete_resource` (stack delete, and resources a stack update removes): DELETE_IN_PROGRESS then
  DELETE_COMPLETE.

moto retries updates and deletes that fail on a dependency in a later pass, so a failed attempt there records
nothing: only what happened is recorded. A resource moto does not model (it skips it) records nothing either.
"""
from __future__ import annotations

from typing import Any

from moto_ext import require

_STACK_ATTR = "_hello_deploy_stack"


def _stack_of(resource_map: Any) -> Any:
    """The stack a ResourceMap belongs to: set when the stack makes its map (see apply), since the map keeps only the
    stack's id, and DeleteStack takes the stack out of the backend's list before it deletes the resources."""
    return getattr(resource_map, _STACK_ATTR, None)


def apply() -> str:
    from moto.cloudformation import models, parsing  # noqa: PLC0415

    event_cls = require(models, "Event", "moto.cloudformation.models")
    stack_cls = require(models, "Stack", "moto.cloudformation.models")
    original_make_map = require(stack_cls, "_create_resource_map", "Stack")
    resource_map_cls = require(parsing, "ResourceMap", "moto.cloudformation.parsing")
    original_create = require(parsing, "parse_and_create_resource", "moto.cloudformation.parsing")
    original_update = require(parsing, "parse_and_update_resource", "moto.cloudformation.parsing")
    original_delete = require(resource_map_cls, "_delete_resource", "ResourceMap")
    original_stack_event = require(stack_cls, "_add_stack_event", "Stack")

    def _create_resource_map(self):  # type: ignore[no-untyped-def]
        resource_map = original_make_map(self)
        setattr(resource_map, _STACK_ATTR, self)
        return resource_map

    def record(resource_map: Any, logical_id: str, resource_type: str, physical_id: str, status: str, reason: str | None = None) -> None:
        stack = _stack_of(resource_map)
        if stack is None:
            return
        event = event_cls(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id=physical_id,
            resource_type=resource_type,
            resource_status=status,
            resource_status_reason=reason,
            resource_properties=None,
        )
        # AWS sends resource events to the stack's notification topics as well as stack events.
        event.sendToSns(stack.account_id, stack.region_name, stack.notification_arns)
        stack.events.append(event)

    def physical(resource: Any) -> str:
        # What DescribeStackResources reports for it (moto's responses.py reads the same attribute).
        return str(getattr(resource, "physical_resource_id", "") or "")

    def parse_and_create_resource(logical_id, resource_json, resources_map, account_id, region_name):  # type: ignore[no-untyped-def]
        resource_type = resource_json["Type"]
        try:
            resource = original_create(logical_id, resource_json, resources_map, account_id, region_name)
        except Exception as err:
            record(resources_map, logical_id, resource_type, "", "CREATE_IN_PROGRESS")
            record(resources_map, logical_id, resource_type, "", "CREATE_FAILED", str(err) or type(err).__name__)
            raise
        if resource is not None:
            # Recorded after the create, so the resources it references (created lazily, from inside it) come first,
            # as on AWS where a resource starts once what it depends on is complete.
            record(resources_map, logical_id, resource_type, "", "CREATE_IN_PROGRESS")
            record(resources_map, logical_id, resource_type, physical(resource), "CREATE_COMPLETE")
        return resource

    def parse_and_update_resource(logical_id, resource_json, resources_map, account_id, region_name):  # type: ignore[no-untyped-def]
        resource = original_update(logical_id, resource_json, resources_map, account_id, region_name)
        if resource is not None:
            record(resources_map, logical_id, resource_json["Type"], physical(resource), "UPDATE_IN_PROGRESS")
            record(resources_map, logical_id, resource_json["Type"], physical(resource), "UPDATE_COMPLETE")
        return resource

    def _delete_resource(self, parsed_resource, resource_json):  # type: ignore[no-untyped-def]
        original_delete(self, parsed_resource, resource_json)
        logical_id = getattr(parsed_resource, "logical_resource_id", "")
        record(self, logical_id, resource_json["Type"], physical(parsed_resource), "DELETE_IN_PROGRESS")
        record(self, logical_id, resource_json["Type"], physical(parsed_resource), "DELETE_COMPLETE")

    def _add_stack_event(self, resource_status, resource_status_reason=None, resource_properties=None):  # type: ignore[no-untyped-def]
        original_stack_event(self, resource_status, resource_status_reason, resource_properties)
        # moto's CreateStack resolves the template's exports (creating what they reference) before it records the
        # stack's first event, CREATE_IN_PROGRESS; on AWS the stack's event comes first. So the stack's first event
        # goes before the resource events already there, with the time of the first of them.
        stack_level = [e for e in self.events if e.resource_type == "AWS::CloudFormation::Stack"]
        if len(stack_level) == 1 and len(self.events) > 1:
            event = self.events.pop()
            event.timestamp = self.events[0].timestamp
            self.events.insert(0, event)

    parsing.parse_and_create_resource = parse_and_create_resource
    parsing.parse_and_update_resource = parse_and_update_resource
    resource_map_cls._delete_resource = _delete_resource
    stack_cls._add_stack_event = _add_stack_event
    stack_cls._create_resource_map = _create_resource_map
    return "DescribeStackEvents carries one event per resource created, updated or deleted (IN_PROGRESS, then COMPLETE or FAILED)"
