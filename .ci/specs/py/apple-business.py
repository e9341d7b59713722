"""Parses the list-response example of specs/apple-business.yaml with the client that
openapi-python-client generated from it (package telnums_apple_business_client). Run by .ci/specs.sh."""

import json
import sys

from telnums_apple_business_client.models import AppleCallerIdList

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)

page = AppleCallerIdList.from_dict(data)
items = page.data
assert len(items) > 0, "apple-business: the example lists no items"
# Every member of the example is a field the generated models know about.
assert not page.additional_properties, f"unknown members: {page.additional_properties}"
for item in items:
    assert not item.additional_properties, f"unknown members: {item.additional_properties}"
print(f"apple-business: {len(items)} items ({', '.join(str(item.caller_id_details.phone_number) for item in items)})")
