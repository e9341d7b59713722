"""Lists every callback number of the mock Vonage CC account (mock_providers.py) with the
client that openapi-python-client generated from specs/vonage-cc.yaml, paging by hand as
the spec says: `page` from 1 until it reaches `meta.pageCount`.

Usage: list-vonage-cc.py BASE_URL (run by .ci/specs.sh through check_clients.py). The last
line of the output is `listed N items in P pages`.
"""

import sys

from telnums_vonage_cc_client import AuthenticatedClient
from telnums_vonage_cc_client.api.callback_numbers import list_callback_numbers
from telnums_vonage_cc_client.models import CallbackNumberList
from telnums_vonage_cc_client.types import Unset

# OpenAPI cannot make the vendor media type the `Accept` a client sends, so it is set by
# hand, as the spec's description says (httpx sends `*/*` otherwise, which gets a 406).
client = AuthenticatedClient(
    base_url=sys.argv[1],
    token="test-token",
    headers={"Accept": "application/vnd.newvoicemedia.v4+json"},
    raise_on_unexpected_status=True,
)
ids, page, pages = [], 1, 0
while pages < 100:
    response = list_callback_numbers.sync_detailed(client=client, limit=5, page=page)
    pages += 1
    body = response.parsed
    if not isinstance(body, CallbackNumberList):
        sys.exit(f"vonage-cc: page {page}: HTTP {response.status_code}: {response.content!r}")
    ids += [number.callback_number_id for number in body.callback_numbers]
    served, count = body.meta.page, body.meta.page_count
    print(f"page {page}: {len(body.callback_numbers)} callback numbers, meta.page {served}, meta.pageCount {count}")
    if isinstance(served, Unset) or isinstance(count, Unset):
        sys.exit("vonage-cc: meta.page or meta.pageCount is missing")
    if not body.callback_numbers or served >= count:
        break
    page = served + 1
else:
    sys.exit("vonage-cc: still more pages after 100")
if len(set(ids)) != len(ids):
    sys.exit(f"vonage-cc: {len(ids) - len(set(ids))} callback numbers listed twice")
print(f"listed {len(ids)} items in {pages} pages")
