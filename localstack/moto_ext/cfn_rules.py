"""A template's Rules section, enforced by CreateStack, UpdateStack and CreateChangeSet as CloudFormation does.

moto 5.2 ignores Rules, so a combination of parameter values AWS refuses (infra/hello-world-infra.yaml's
SSLCertWithoutDomain, HostedZoneWithDomain) would be created on the emulator. CloudFormation evaluates each rule
before it creates or updates anything: a rule whose RuleCondition holds (or that has none) needs every Assert to hold,
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html. The refusal is a
ValidationError carrying the assertion's AssertDescription (the docs do not quote the message; this is what
hello-deploy's own check, cli/domain/cfn-rules.ts, says too).

The rule functions read: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn
and Ref to a parameter. A rule that uses anything else (Fn::ValueOf reads AWS resources) is not judged here: the
emulator must not refuse what AWS may accept. Called from cfn_fixes.py's parameter check (no patch of its own).
"""
from __future__ import annotations

from typing import Any

_UNDECIDED = object()


class _Unknown(Exception):
    """A function or reference this evaluator does not decide: the rule is skipped."""


def _values(template: dict[str, Any], submitted: dict[str, Any]) -> dict[str, Any]:
    """Every parameter's value for the rules: the passed one, else the template's Default (lists split)."""
    out: dict[str, Any] = {}
    for name, spec in (template.get("Parameters") or {}).items():
        value = submitted.get(name, spec.get("Default"))
        if value is None:
            continue
        kind = str(spec.get("Type", "String"))
        if isinstance(value, list):
            value = [str(v) for v in value]
        elif kind == "CommaDelimitedList" or kind.startswith("List<"):
            value = [v.strip() for v in str(value).split(",")] if str(value) else []
        else:
            value = str(value)
        out[name] = value
    return out


def _ev(v: Any, params: dict[str, Any], depth: int = 0) -> Any:
    if depth > 50:
        raise _Unknown
    if isinstance(v, bool):
        return v
    if isinstance(v, (str, int, float)):
        return str(v)
    if isinstance(v, list):
        items = [_ev(x, params, depth + 1) for x in v]
        return [y for x in items for y in (x if isinstance(x, list) else [str(x)])]
    if not isinstance(v, dict) or len(v) != 1:
        raise _Unknown
    ((op, args),) = v.items()
    if op == "Ref":
        if args not in params:
            raise _Unknown  # a pseudo parameter, or one without a value
        return params[args]
    items = args if isinstance(args, list) else [args]

    def at(i: int) -> Any:
        return _ev(items[i] if i < len(items) else None, params, depth + 1)

    def strings(x: Any) -> list[str]:
        if isinstance(x, bool):
            raise _Unknown
        return x if isinstance(x, list) else [x]

    if op == "Fn::Equals":
        return at(0) == at(1)
    if op == "Fn::Not":
        return not _truth(at(0))
    if op == "Fn::And":
        return all(_truth(at(i)) for i in range(len(items)))
    if op == "Fn::Or":
        return any(_truth(at(i)) for i in range(len(items)))
    if op == "Fn::Contains":
        return at(1) in strings(at(0))
    if op == "Fn::EachMemberEquals":
        x = at(1)
        return all(m == x for m in strings(at(0)))
    if op == "Fn::EachMemberIn":
        allowed = strings(at(1))
        return all(m in allowed for m in strings(at(0)))
    raise _Unknown


def _truth(x: Any) -> bool:
    if isinstance(x, bool):
        return x
    if x in ("true", "false"):
        return x == "true"
    raise _Unknown


def rule_violation(template: dict[str, Any], submitted: dict[str, Any]) -> str | None:
    """The AssertDescription of the first assertion the values break, if any (rules in template order)."""
    params = _values(template, submitted)
    for name, rule in (template.get("Rules") or {}).items():
        if not isinstance(rule, dict):
            continue
        try:
            if "RuleCondition" in rule and not _truth(_ev(rule["RuleCondition"], params)):
                continue
            for assertion in rule.get("Assertions") or []:
                if not _truth(_ev(assertion.get("Assert"), params)):
                    described = str(assertion.get("AssertDescription") or "").strip()
                    return described or f"Template rule {name} is not satisfied by the parameter values."
        except _Unknown:
            continue
    return None
