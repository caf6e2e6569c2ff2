#!/usr/bin/env bash
# The vocabulary pass of issue 18 item 4, as a script so that branches
# written before it can be brought onto the new names by running it again.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.rs' '*.md')
# nl-proto request structs: New<Obj> / Del<Obj> / <Obj>Dump.
sed -i -E 's/\bRouteDel\b/DelRoute/g' $files
sed -i -E "s/\\brule::RuleSpec\\b/rule::NewRule/g" $(git ls-files "nl-rustix/src/rule.rs" "nl-proto/*.rs")
sed -i -E 's/\bNextHopFlags\b/LegFlags/g; s/\brt::NextHop\b/rt::Leg/g' $files
# Inside nl-proto only: bare RuleSpec is the request, bare NextHop is a leg.
proto=$(git ls-files 'nl-proto/*.rs' 'fuzz/*.rs' 'benches/*.rs')
sed -i -E 's/\bRuleSpec\b/NewRule/g; s/\bNextHop\b/Leg/g' $proto
# nl-rustix: one multipath leg of a RouteSpec.
sed -i -E 's/\bNextHopSpec\b/LegSpec/g' $files
# nf_tables (issue 20 item 5): nl-proto's set requests are NewSet and
# NewSetElem; the driver's owned set is SetSpec. Only on a tree that still
# has SetDef, so that running this twice does not rename SetSpec again.
if git grep -q '\bSetDef\b' -- '*.rs'; then
    sed -i -E 's/\bSetSpec\b/NewSet/g; s/\bElemSpec\b/NewSetElem/g' $files
    sed -i -E 's/\bSetDef\b/SetSpec/g' $files
fi
