"""The Python half of .ci/specs.sh: the client openapi-python-client generates from each
specs/<key>.yaml (package telnums_<key>_client), used the way a user of it would.

Usage:
  clients.py known KEY...        exit 1 naming each KEY that has no provider here
  clients.py example KEY FILE    parse the spec's list-response example (FILE) with the
                                 generated models: at least one entry, and no member the
                                 models do not know
  clients.py list KEY BASE_URL   list every entry of the mock provider (mock_providers.py)
                                 at BASE_URL, paging by hand as the spec says; one line per
                                 page, then `listed N items in P pages` (read by
                                 check_clients.py)

Each class below is one provider: its list-response model and how to page it. That is all
the provider-specific code, so a new spec needs a class here (specs.sh runs `known` first).
"""

import base64
import importlib
import json
import re
import sys
import urllib.parse

MAX_PAGES = 100  # a listing that still has a next page after this many fails


def unset(value):
    """Whether an optional member was absent (the generated clients' `Unset`)."""
    return type(value).__name__ == "Unset"


class Provider:
    """The shared part of a provider. A subclass sets `key`, `model` (the list-response
    model), `items` (its member holding the entries), `noun` (what the entries are) and
    `start` (the position of the first page), and defines `label` and `fetch`."""

    key = model = items = noun = ""
    start = None

    def module(self, name=""):
        """A module of the client generated for this provider; imported only when used, so
        that `known` runs without any generated client installed."""
        package = f"telnums_{self.key.replace('-', '_')}_client"
        return importlib.import_module(f"{package}.{name}" if name else package)

    def connect(self, base_url, **options):
        """A client of the mock with a dummy bearer token, unless `options` say otherwise."""
        options = {"token": "test-token", **options}
        self.client = self.module().AuthenticatedClient(base_url=base_url, raise_on_unexpected_status=True, **options)

    def parsed(self, response, where, *models):
        """The page's body when it is one of `models` (the list model by default); else the
        run ends naming the page, the status and the body."""
        models = models or (getattr(self.module("models"), self.model),)
        if not isinstance(response.parsed, models):
            sys.exit(f"{self.key}: {where}: HTTP {response.status_code}: {response.content!r}")
        return response.parsed

    def label(self, item):
        """How the example's summary names an entry."""
        raise NotImplementedError

    def fetch(self, position):
        """Asks for the page at `position`: (its entries, as values to count and compare,
        the next position or None after the last page, a line saying what the page held)."""
        raise NotImplementedError


class VonageCc(Provider):
    """`page` from 1 until it reaches `meta.pageCount`."""

    key, model, items, noun, start = "vonage-cc", "CallbackNumberList", "callback_numbers", "callback numbers", 1

    def connect(self, base_url):
        # OpenAPI cannot make the vendor media type the `Accept` a client sends, so it is set
        # by hand, as the spec's description says (httpx sends `*/*` otherwise: a 406).
        super().connect(base_url, headers={"Accept": "application/vnd.newvoicemedia.v4+json"})

    def label(self, item):
        return str(item.callback_number_clid)

    def fetch(self, page):
        from telnums_vonage_cc_client.api.callback_numbers import list_callback_numbers

        body = self.parsed(list_callback_numbers.sync_detailed(client=self.client, limit=5, page=page), f"page {page}")
        served, count = body.meta.page, body.meta.page_count
        line = f"page {page}: {len(body.callback_numbers)} callback numbers, meta.page {served}, meta.pageCount {count}"
        if unset(served) or unset(count):
            print(line)
            sys.exit("vonage-cc: meta.page or meta.pageCount is missing")
        following = None if not body.callback_numbers or served >= count else served + 1
        return [number.callback_number_id for number in body.callback_numbers], following, line


class WebexCalling(Provider):
    """`start` and `max`, following the `start` of the `Link: <...>; rel="next"` header until
    a page has none."""

    key, model, items, noun, start = "webex-calling", "WebexNumberList", "phone_numbers", "entries", 0

    def label(self, item):
        return str(item.phone_number or f"ext. {item.extension}")

    @staticmethod
    def next_start(link):
        """The `start` of the `rel="next"` link in a `Link` header, or None."""
        for target, params in re.findall(r"<([^>]*)>([^,]*)", link or ""):
            if re.search(r'rel="?next"?', params):
                return int(urllib.parse.parse_qs(urllib.parse.urlsplit(target).query)["start"][0])
        return None

    def fetch(self, start):
        from telnums_webex_calling_client.api.numbers import list_numbers

        response = list_numbers.sync_detailed(client=self.client, start=start, max_=10)
        body = self.parsed(response, f"start {start}")
        numbers = [] if unset(body.phone_numbers) else body.phone_numbers
        following = self.next_start(response.headers.get("Link"))
        line = f"start {start}: {len(numbers)} numbers, next start {following}"
        return [(number.phone_number, number.extension) for number in numbers], following, line


class FoneDynamics(Provider):
    """`Results_Skip` after the numbers received, until a page is empty (the API gives no
    total and no other end). A page is the `Numbers` envelope or a bare array."""

    key, model, items, noun, start = "fone-dynamics", "FoneNumberListEnvelope", "numbers", "numbers", 0
    account = "AC0000000000000000000000000000000A"

    def connect(self, base_url):
        # HTTP Basic with the account SID and a dummy API token.
        credentials = base64.b64encode(f"{self.account}:test-token".encode()).decode()
        super().connect(base_url, token=credentials, prefix="Basic")

    def label(self, item):
        return str(item.number)

    def fetch(self, skip):
        from telnums_fone_dynamics_client.api.numbers import list_account_numbers
        from telnums_fone_dynamics_client.models import FoneNumberListEnvelope

        response = list_account_numbers.sync_detailed(
            self.account, client=self.client, results_skip=skip, results_count=10
        )
        body = self.parsed(response, f"skip {skip}", FoneNumberListEnvelope, list)
        page, shape = (body.numbers, "envelope") if isinstance(body, FoneNumberListEnvelope) else (body, "bare array")
        following = skip + len(page) if page else None
        return [number.number for number in page], following, f"skip {skip}: {len(page)} numbers ({shape})"


class AppleBusiness(Provider):
    """Pass `pagination.cursors.after` back as `after` until `pagination` is empty."""

    key, model, items, noun = "apple-business", "AppleCallerIdList", "data", "caller IDs"
    org, brand = "9467895078742654934", "9467895078742654921"

    def label(self, item):
        return str(item.caller_id_details.phone_number)

    def fetch(self, after):
        from telnums_apple_business_client.api.caller_ids import list_caller_ids
        from telnums_apple_business_client.types import UNSET

        cursor = UNSET if after is None else after
        response = list_caller_ids.sync_detailed(self.org, self.brand, client=self.client, limit=4, after=cursor)
        body = self.parsed(response, f"after {cursor}")
        cursors = None if unset(body.pagination) else body.pagination.cursors
        following = None if cursors is None or unset(cursors) or unset(cursors.after) else cursors.after
        line = (
            f"after {after or 'none'}: {len(body.data)} caller IDs of {body.total}, next cursor {following or 'none'}"
        )
        return [caller_id.id for caller_id in body.data], following, line


class ZoomPhone(Provider):
    """Send `next_page_token` back while it is non-empty."""

    key, model, items, noun = "zoom-phone", "ZoomPhoneNumberList", "phone_numbers", "numbers"

    def label(self, item):
        return str(item.number)

    def fetch(self, token):
        from telnums_zoom_phone_client.api.phone_numbers import list_phone_numbers
        from telnums_zoom_phone_client.types import UNSET

        response = list_phone_numbers.sync_detailed(client=self.client, next_page_token=token or UNSET, page_size=10)
        body = self.parsed(response, f"token {token}")
        numbers = [] if unset(body.phone_numbers) else body.phone_numbers
        following = None if unset(body.next_page_token) or not body.next_page_token else body.next_page_token
        line = (
            f"token {token or 'none'}: {len(numbers)} numbers of {body.total_records}, next token {following or 'none'}"
        )
        return [number.id for number in numbers], following, line


PROVIDERS = {provider.key: provider for provider in (VonageCc, WebexCalling, FoneDynamics, AppleBusiness, ZoomPhone)}


def example(provider, path):
    """Parses the list-response example at `path` with the generated list model."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    page = getattr(provider.module("models"), provider.model).from_dict(data)
    items = getattr(page, provider.items)
    assert len(items) > 0, f"{provider.key}: the example lists no items"
    # Every member of the example is a field the generated models know about.
    for part in (page, *items):
        assert not part.additional_properties, f"{provider.key}: unknown members: {part.additional_properties}"
    print(f"{provider.key}: {len(items)} items ({', '.join(map(provider.label, items))})")


def listing(provider, base_url):
    """Lists every entry at `base_url`, page by page, and checks none came twice."""
    provider.connect(base_url)
    entries, position = [], provider.start
    for pages in range(1, MAX_PAGES + 1):
        page, position, line = provider.fetch(position)
        print(line)
        entries += page
        if position is None:
            break
    else:
        sys.exit(f"{provider.key}: still more pages after {MAX_PAGES}")
    if len(set(entries)) != len(entries):
        sys.exit(f"{provider.key}: {len(entries) - len(set(entries))} {provider.noun} listed twice")
    print(f"listed {len(entries)} items in {pages} pages")


def main():
    command, keys = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 2 else (None, [])
    if command == "known":
        unknown = [key for key in keys if key not in PROVIDERS]
        if unknown:
            sys.exit(f"clients.py: no provider for {', '.join(unknown)} (add a class for each spec)")
    elif command in ("example", "list") and len(keys) == 2 and keys[0] in PROVIDERS:
        (example if command == "example" else listing)(PROVIDERS[keys[0]](), keys[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
