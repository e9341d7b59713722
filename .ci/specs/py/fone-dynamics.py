"""Parses the list-response example of specs/fone-dynamics.yaml with the client that
openapi-python-client generated from it (package telnums_fone_dynamics_client). Run by .ci/specs.sh."""

import json
import sys

from telnums_fone_dynamics_client.models import FoneNumberListEnvelope

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)

page = FoneNumberListEnvelope.from_dict(data)
items = page.numbers
assert len(items) > 0, "fone-dynamics: the example lists no items"
# Every member of the example is a field the generated models know about.
assert not page.additional_properties, f"unknown members: {page.additional_properties}"
for item in items:
    assert not item.additional_properties, f"unknown members: {item.additional_properties}"
print(f"fone-dynamics: {len(items)} items ({', '.join(str(item.number) for item in items)})")
