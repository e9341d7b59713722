"""Parses the list-response example of specs/zoom-phone.yaml with the client that
openapi-python-client generated from it (package telnums_zoom_phone_client). Run by .ci/specs.sh."""

import json
import sys

from telnums_zoom_phone_client.models import ZoomPhoneNumberList

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)

page = ZoomPhoneNumberList.from_dict(data)
items = page.phone_numbers
assert len(items) > 0, "zoom-phone: the example lists no items"
# Every member of the example is a field the generated models know about.
assert not page.additional_properties, f"unknown members: {page.additional_properties}"
for item in items:
    assert not item.additional_properties, f"unknown members: {item.additional_properties}"
print(f"zoom-phone: {len(items)} items ({', '.join(str(item.number) for item in items)})")
