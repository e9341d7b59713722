// Lists every phone number of the mock Zoom Phone account (mock_providers.py) with
// openapi-fetch and the types openapi-typescript generated from specs/zoom-phone.yaml,
// paging by hand as the spec says: send `next_page_token` back while it is non-empty.
// Usage: node list-zoom-phone.js BASE_URL (run by .ci/specs.sh through check_clients.py);
// the last line of the output is `listed N items in P pages`.
import createClient from "openapi-fetch";
import type { paths } from "./generated/zoom-phone.js";

const client = createClient<paths>({ baseUrl: process.argv[2], headers: { Authorization: "Bearer test-token" } });
const ids: (string | undefined)[] = [];
let token: string | undefined;
let pages = 0;
for (;;) {
  if (pages === 100) throw new Error("zoom-phone: still more pages after 100");
  const { data, error, response } = await client.GET("/phone/numbers", {
    params: { query: { next_page_token: token, page_size: 10 } },
  });
  pages += 1;
  if (data === undefined) {
    throw new Error(`zoom-phone: token ${token}: HTTP ${response.status}: ${JSON.stringify(error)}`);
  }
  const numbers = data.phone_numbers ?? [];
  ids.push(...numbers.map((n) => n.id));
  token = data.next_page_token;
  console.log(`page ${pages}: ${numbers.length} numbers of ${data.total_records}, next token ${token || "none"}`);
  if (!token) break;
}
if (new Set(ids).size !== ids.length) throw new Error(`zoom-phone: ${ids.length - new Set(ids).size} numbers listed twice`);
console.log(`listed ${ids.length} items in ${pages} pages`);
