"""Lists every phone number of the mock Zoom Phone account (mock_providers.py) with the
client that openapi-python-client generated from specs/zoom-phone.yaml, paging by hand as
the spec says: send `next_page_token` back while it is non-empty.

Usage: list-zoom-phone.py BASE_URL (run by .ci/specs.sh through check_clients.py). The last
line of the output is `listed N items in P pages`.
"""

import sys

from telnums_zoom_phone_client import AuthenticatedClient
from telnums_zoom_phone_client.api.phone_numbers import list_phone_numbers
from telnums_zoom_phone_client.models import ZoomPhoneNumberList
from telnums_zoom_phone_client.types import UNSET, Unset

client = AuthenticatedClient(base_url=sys.argv[1], token="test-token", raise_on_unexpected_status=True)
ids, token, pages = [], UNSET, 0
while pages < 100:
    response = list_phone_numbers.sync_detailed(client=client, next_page_token=token, page_size=10)
    pages += 1
    body = response.parsed
    if not isinstance(body, ZoomPhoneNumberList):
        sys.exit(f"zoom-phone: token {token}: HTTP {response.status_code}: {response.content!r}")
    numbers = [] if isinstance(body.phone_numbers, Unset) else body.phone_numbers
    ids += [number.id for number in numbers]
    token = body.next_page_token
    print(f"page {pages}: {len(numbers)} numbers of {body.total_records}, next token {token or 'none'}")
    if isinstance(token, Unset) or not token:
        break
else:
    sys.exit("zoom-phone: still more pages after 100")
if len(set(ids)) != len(ids):
    sys.exit(f"zoom-phone: {len(ids) - len(set(ids))} numbers listed twice")
print(f"listed {len(ids)} items in {pages} pages")
