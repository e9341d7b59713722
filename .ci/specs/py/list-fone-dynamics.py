"""Lists every number of the mock Fone Dynamics account (mock_providers.py) with the
client that openapi-python-client generated from specs/fone-dynamics.yaml, paging by hand
as the spec says: `Results_Skip` after the numbers received, until a page is empty (the
API gives no total and no other end). A page is the `Numbers` envelope or a bare array.

Usage: list-fone-dynamics.py BASE_URL (run by .ci/specs.sh through check_clients.py). The
last line of the output is `listed N items in P pages`.
"""

import base64
import sys

from telnums_fone_dynamics_client import AuthenticatedClient
from telnums_fone_dynamics_client.api.numbers import list_account_numbers
from telnums_fone_dynamics_client.models import FoneNumberListEnvelope

ACCOUNT = "AC0000000000000000000000000000000A"
# HTTP Basic with the account SID and a dummy API token.
credentials = base64.b64encode(f"{ACCOUNT}:test-token".encode()).decode()
client = AuthenticatedClient(base_url=sys.argv[1], token=credentials, prefix="Basic", raise_on_unexpected_status=True)
numbers, skip, pages = [], 0, 0
while pages < 100:
    response = list_account_numbers.sync_detailed(ACCOUNT, client=client, results_skip=skip, results_count=10)
    pages += 1
    body = response.parsed
    if isinstance(body, FoneNumberListEnvelope):
        page, shape = body.numbers, "envelope"
    elif isinstance(body, list):
        page, shape = body, "bare array"
    else:
        sys.exit(f"fone-dynamics: skip {skip}: HTTP {response.status_code}: {response.content!r}")
    print(f"skip {skip}: {len(page)} numbers ({shape})")
    if not page:
        break
    numbers += [number.number for number in page]
    skip += len(page)
else:
    sys.exit("fone-dynamics: still more pages after 100")
if len(set(numbers)) != len(numbers):
    sys.exit(f"fone-dynamics: {len(numbers) - len(set(numbers))} numbers listed twice")
print(f"listed {len(numbers)} items in {pages} pages")
