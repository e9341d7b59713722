"""Parses the list-response example of specs/vonage-cc.yaml with the client that
openapi-python-client generated from it (package telnums_vonage_cc_client). Run by .ci/specs.sh."""

import json
import sys

from telnums_vonage_cc_client.models import CallbackNumberList

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)

page = CallbackNumberList.from_dict(data)
items = page.callback_numbers
assert len(items) > 0, "vonage-cc: the example lists no items"
# Every member of the example is a field the generated models know about.
assert not page.additional_properties, f"unknown members: {page.additional_properties}"
for item in items:
    assert not item.additional_properties, f"unknown members: {item.additional_properties}"
print(f"vonage-cc: {len(items)} items ({', '.join(str(item.callback_number_clid) for item in items)})")
