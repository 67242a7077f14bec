#!/usr/bin/env python3
"""Check that a plan from examples/synth.rs has the shape real terraform writes.

    python3 bench/check_shape.py GENERATED.json [--fixtures testdata] [--real REAL.json]

Against the real plans in --fixtures (every */plan.json with format_version 1.2):
  * the top-level keys: all those every fixture has, none that no fixture has, in
    terraform's order;
  * per resource type, a resource_changes entry, its `change`, and a planned_values resource
    have the same keys as in the fixtures (`index` and `module_address` apart: they must
    be there exactly when the address has an index or a module);
  * every created resource has, in after + after_unknown, exactly the attributes created
    resources of its type have in the fixtures (same provider, so the same schema: a
    create lists every attribute, null or unknown), and after_sensitive names only those;
  * nothing is both known in `after` and unknown in `after_unknown`; `id` is unknown;
  * configuration: module calls with for_each_expression, count_expression, and references
    in the `["x.attr", "x"]` form.
With --real (a plan real terraform wrote for the same configuration and spoke count, from
`bash bench/synth/regen.sh N OUT`): the two plans are equal except `timestamp` and the order
of `relevant_attributes` (which terraform itself does not keep stable).

Exits 1 and lists every problem if any check fails. Give it a small plan (a few spokes):
the shape does not depend on the size and json.load of a 500 MB file needs gigabytes.
"""

import argparse
import glob
import json
import os
import sys
from collections import defaultdict


def load(path):
    with open(path) as f:
        return json.load(f)


def modules(module):
    yield module
    for child in module.get("child_modules", []):
        yield from modules(child)


def config_modules(module):
    yield module
    for call in module.get("module_calls", {}).values():
        yield call
        yield from config_modules(call.get("module", {}))


# Present or not by where a resource is, not by its type: checked on their own.
POSITIONAL = {"index", "module_address"}


def positional_problems(address, entry):
    """`index` iff the address ends in [..], `module_address` iff it is in a module."""
    problems = []
    if ("index" in entry) != address.endswith("]"):
        problems.append(f"{address}: index {'present' if 'index' in entry else 'missing'}")
    if "module_address" in entry:
        if not address.startswith(entry["module_address"] + "."):
            problems.append(f"{address}: module_address {entry['module_address']!r}")
    elif address.startswith("module.") and "values" not in entry:
        problems.append(f"{address}: module_address missing")
    return problems


def shapes(plans):
    """Per type: key sets seen (rc keys, change keys, planned_values keys, attributes)."""
    out = defaultdict(lambda: defaultdict(set))
    for plan in plans:
        for rc in plan.get("resource_changes", []):
            t = rc["type"]
            out[t]["rc"].add(tuple(sorted(set(rc) - POSITIONAL)))
            out[t]["change"].add(tuple(sorted(rc["change"])))
            change = rc["change"]
            if change["actions"] == ["create"]:
                out[t]["attrs"] |= set(change["after"] or {}) | set(change["after_unknown"] or {})
        for module in modules(plan.get("planned_values", {}).get("root_module", {})):
            for res in module.get("resources", []):
                out[res["type"]]["pv"].add(tuple(sorted(set(res) - POSITIONAL)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("generated")
    ap.add_argument("--fixtures", default="testdata")
    ap.add_argument("--real")
    args = ap.parse_args()

    gen = load(args.generated)
    paths = sorted(glob.glob(os.path.join(args.fixtures, "*", "plan.json")))
    fixtures = [p for p in (load(path) for path in paths) if p.get("format_version") == "1.2"]
    if not fixtures:
        sys.exit(f"check_shape: no format 1.2 plans under {args.fixtures}/*/plan.json")
    problems = []

    # Top-level keys: those every real plan has, nothing no real plan has, in terraform's order.
    want = ["format_version", "terraform_version", "variables", "planned_values",
            "resource_drift", "resource_changes", "output_changes", "prior_state",
            "configuration", "relevant_attributes", "checks", "timestamp", "applyable",
            "complete", "errored"]
    always = set.intersection(*(set(f) for f in fixtures))
    seen = set.union(*(set(f) for f in fixtures))
    if always - set(gen):
        problems.append(f"top-level keys missing: {sorted(always - set(gen))}")
    if set(gen) - seen:
        problems.append(f"top-level keys no fixture has: {sorted(set(gen) - seen)}")
    if list(gen) != [k for k in want if k in gen]:
        problems.append(f"top-level key order {list(gen)}")
    for key, value in [("format_version", "1.2"), ("terraform_version", "1.11.4"),
                       ("applyable", True), ("complete", True), ("errored", False)]:
        if gen.get(key) != value:
            problems.append(f"{key} is {gen.get(key)!r}, want {value!r}")

    real, mine = shapes(fixtures), shapes([gen])
    checked = 0
    for t in sorted(mine):
        if t not in real:
            problems.append(f"{t}: no fixture has this type, cannot compare")
            continue
        checked += 1
        for part in ("rc", "change", "pv"):
            extra = mine[t][part] - real[t][part]
            if extra:
                problems.append(f"{t}: {part} keys {sorted(extra)} never seen in fixtures "
                                f"(seen: {sorted(real[t][part])})")
        if mine[t]["attrs"] != real[t]["attrs"]:
            problems.append(f"{t}: attributes differ: only generated "
                            f"{sorted(mine[t]['attrs'] - real[t]['attrs'])}, only fixtures "
                            f"{sorted(real[t]['attrs'] - mine[t]['attrs'])}")

    for rc in gen["resource_changes"]:
        problems += positional_problems(rc["address"], rc)
        change = rc["change"]
        after, unknown = change["after"] or {}, change["after_unknown"] or {}
        both = [k for k in after if unknown.get(k) is True]
        if both:
            problems.append(f"{rc['address']}: known and unknown: {both}")
        attrs = set(after) | set(unknown)
        if change["actions"] == ["create"] and rc["type"] in real and attrs != real[rc["type"]]["attrs"]:
            problems.append(f"{rc['address']}: attributes differ from the schema seen in "
                            f"fixtures: missing {sorted(real[rc['type']]['attrs'] - attrs)}, "
                            f"extra {sorted(attrs - real[rc['type']]['attrs'])}")
        if change["actions"] == ["create"] and "id" in after:
            problems.append(f"{rc['address']}: id known at plan time")
        if change["actions"] == ["create"] and unknown.get("id") is not True:
            problems.append(f"{rc['address']}: id not in after_unknown")
        stray = set(change["after_sensitive"] or {}) - set(after) - set(unknown)
        if stray:
            problems.append(f"{rc['address']}: after_sensitive names unknown keys {stray}")

    for module in modules(gen["planned_values"]["root_module"]):
        for res in module.get("resources", []):
            problems += positional_problems(res["address"], res)

    root = gen["configuration"]["root_module"]
    counted = for_each = two_part = 0
    for module in config_modules(root):
        counted += sum("count_expression" in r for r in module.get("resources", []))
        for_each += sum("for_each_expression" in r for r in module.get("resources", []))
        for_each += sum("for_each_expression" in c for c in module.get("module_calls", {}).values())
        for r in module.get("resources", []):
            for expr in r.get("expressions", {}).values():
                refs = expr.get("references", []) if isinstance(expr, dict) else []
                two_part += any(a.endswith(".id") and a[:-3] == b for a, b in zip(refs, refs[1:]))
    if not root.get("module_calls"):
        problems.append("configuration: no module_calls")
    if not (counted and for_each and two_part):
        problems.append(f"configuration: count {counted}, for_each {for_each}, "
                        f"[x.id, x] references {two_part}: want all > 0")

    if args.real:
        real_plan = load(args.real)
        for key in real_plan.keys() | gen.keys():
            if key in ("timestamp", "relevant_attributes"):
                continue
            if real_plan.get(key) != gen.get(key):
                problems.append(f"--real: {key} differs")
        canon = lambda p: sorted(json.dumps(x, sort_keys=True) for x in p.get("relevant_attributes", []))
        if canon(real_plan) != canon(gen):
            problems.append("--real: relevant_attributes differ (as a multiset)")

    n_rc = len(gen["resource_changes"])
    print(f"check_shape: {args.generated}: {n_rc} resource changes, {len(mine)} types, "
          f"{checked} compared with {len(fixtures)} fixtures"
          + (f", equal to {args.real}" if args.real and not problems else ""))
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
