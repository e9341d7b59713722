"""Parses the list-response example of specs/webex-calling.yaml with the client that
openapi-python-client generated from it (package telnums_webex_calling_client). Run by .ci/specs.sh."""

import json
import sys

from telnums_webex_calling_client.models import WebexNumberList

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)

page = WebexNumberList.from_dict(data)
items = page.phone_numbers
assert len(items) > 0, "webex-calling: the example lists no items"
# Every member of the example is a field the generated models know about.
assert not page.additional_properties, f"unknown members: {page.additional_properties}"
for item in items:
    assert not item.additional_properties, f"unknown members: {item.additional_properties}"
print(f"webex-calling: {len(items)} items ({', '.join(str(item.phone_number or 'ext. ' + str(item.extension)) for item in items)})")
