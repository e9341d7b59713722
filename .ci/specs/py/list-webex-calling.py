"""Lists every phone number of the mock Webex Calling organization (mock_providers.py)
with the client that openapi-python-client generated from specs/webex-calling.yaml,
paging by hand as the spec says: `start` and `max`, following the `start` of the
`Link: <...>; rel="next"` header until a page has none.

Usage: list-webex-calling.py BASE_URL (run by .ci/specs.sh through check_clients.py). The
last line of the output is `listed N items in P pages`.
"""

import re
import sys
import urllib.parse

from telnums_webex_calling_client import AuthenticatedClient
from telnums_webex_calling_client.api.numbers import list_numbers
from telnums_webex_calling_client.models import WebexNumberList
from telnums_webex_calling_client.types import Unset


def next_start(link):
    """The `start` of the `rel="next"` link in a `Link` header, or None."""
    for target, params in re.findall(r"<([^>]*)>([^,]*)", link or ""):
        if re.search(r'rel="?next"?', params):
            return int(urllib.parse.parse_qs(urllib.parse.urlsplit(target).query)["start"][0])
    return None


client = AuthenticatedClient(base_url=sys.argv[1], token="test-token", raise_on_unexpected_status=True)
entries, start, pages = [], 0, 0
while pages < 100:
    response = list_numbers.sync_detailed(client=client, start=start, max_=10)
    pages += 1
    body = response.parsed
    if not isinstance(body, WebexNumberList):
        sys.exit(f"webex-calling: start {start}: HTTP {response.status_code}: {response.content!r}")
    numbers = [] if isinstance(body.phone_numbers, Unset) else body.phone_numbers
    entries += [(number.phone_number, number.extension) for number in numbers]
    following = next_start(response.headers.get("Link"))
    print(f"start {start}: {len(numbers)} numbers, next start {following}")
    if following is None:
        break
    start = following
else:
    sys.exit("webex-calling: still more pages after 100")
if len(set(entries)) != len(entries):
    sys.exit(f"webex-calling: {len(entries) - len(set(entries))} entries listed twice")
print(f"listed {len(entries)} items in {pages} pages")
