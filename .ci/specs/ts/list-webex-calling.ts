// Lists every phone number of the mock Webex Calling organization (mock_providers.py)
// with openapi-fetch and the types openapi-typescript generated from
// specs/webex-calling.yaml, paging by hand as the spec says: `start` and `max`, following
// the `start` of the `Link: <...>; rel="next"` header until a page has none.
// Usage: node list-webex-calling.js BASE_URL (run by .ci/specs.sh through
// check_clients.py); the last line of the output is `listed N items in P pages`.
import createClient from "openapi-fetch";
import type { paths } from "./generated/webex-calling.js";

/** The `start` of the `rel="next"` link in a `Link` header, or undefined. */
function nextStart(link: string | null): number | undefined {
  for (const [, target, params] of (link ?? "").matchAll(/<([^>]*)>([^,]*)/g)) {
    if (/rel="?next"?/.test(params ?? "")) return Number(new URL(target ?? "").searchParams.get("start"));
  }
  return undefined;
}

const client = createClient<paths>({ baseUrl: process.argv[2], headers: { Authorization: "Bearer test-token" } });
const entries: string[] = [];
let start = 0;
let pages = 0;
for (;;) {
  if (pages === 100) throw new Error("webex-calling: still more pages after 100");
  const { data, error, response } = await client.GET("/v1/telephony/config/numbers", {
    params: { query: { start, max: 10 } },
  });
  pages += 1;
  if (data === undefined) {
    throw new Error(`webex-calling: start ${start}: HTTP ${response.status}: ${JSON.stringify(error)}`);
  }
  const numbers = data.phoneNumbers ?? [];
  entries.push(...numbers.map((n) => `${n.phoneNumber ?? ""}/${n.extension ?? ""}`));
  const following = nextStart(response.headers.get("Link"));
  console.log(`start ${start}: ${numbers.length} numbers, next start ${following}`);
  if (following === undefined) break;
  start = following;
}
if (new Set(entries).size !== entries.length) throw new Error(`webex-calling: ${entries.length - new Set(entries).size} entries listed twice`);
console.log(`listed ${entries.length} items in ${pages} pages`);
