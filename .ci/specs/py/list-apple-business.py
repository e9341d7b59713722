"""Lists every caller ID of a brand of the mock Apple Business Connect organization
(mock_providers.py) with the client that openapi-python-client generated from
specs/apple-business.yaml, paging by hand as the spec says: pass
`pagination.cursors.after` back as `after` until `pagination` is empty.

Usage: list-apple-business.py BASE_URL (run by .ci/specs.sh through check_clients.py).
The last line of the output is `listed N items in P pages`.
"""

import sys

from telnums_apple_business_client import AuthenticatedClient
from telnums_apple_business_client.api.caller_ids import list_caller_ids
from telnums_apple_business_client.models import AppleCallerIdList
from telnums_apple_business_client.types import UNSET, Unset

ORG, BRAND = "9467895078742654934", "9467895078742654921"
client = AuthenticatedClient(base_url=sys.argv[1], token="test-token", raise_on_unexpected_status=True)
ids, after, pages = [], UNSET, 0
while pages < 100:
    response = list_caller_ids.sync_detailed(ORG, BRAND, client=client, limit=4, after=after)
    pages += 1
    body = response.parsed
    if not isinstance(body, AppleCallerIdList):
        sys.exit(f"apple-business: after {after}: HTTP {response.status_code}: {response.content!r}")
    ids += [caller_id.id for caller_id in body.data]
    cursors = UNSET if isinstance(body.pagination, Unset) else body.pagination.cursors
    after = UNSET if isinstance(cursors, Unset) else cursors.after
    print(f"page {pages}: {len(body.data)} caller IDs of {body.total}, next cursor {after or 'none'}")
    if isinstance(after, Unset):
        break
else:
    sys.exit("apple-business: still more pages after 100")
if len(set(ids)) != len(ids):
    sys.exit(f"apple-business: {len(ids) - len(set(ids))} caller IDs listed twice")
print(f"listed {len(ids)} items in {pages} pages")
