// Lists every callback number of the mock Vonage CC account (mock_providers.py) with
// openapi-fetch and the types openapi-typescript generated from specs/vonage-cc.yaml,
// paging by hand as the spec says: `page` from 1 until it reaches `meta.pageCount`.
// Usage: node list-vonage-cc.js BASE_URL (run by .ci/specs.sh through check_clients.py);
// the last line of the output is `listed N items in P pages`.
import createClient from "openapi-fetch";
import type { paths } from "./generated/vonage-cc.js";

// OpenAPI cannot make the vendor media type the `Accept` a client sends, so it is set by
// hand, as the spec's description says (fetch sends `*/*` otherwise, which gets a 406).
const client = createClient<paths>({
  baseUrl: process.argv[2],
  headers: { Authorization: "Bearer test-token", Accept: "application/vnd.newvoicemedia.v4+json" },
});
const ids: (string | undefined)[] = [];
let page = 1;
let pages = 0;
for (;;) {
  if (pages === 100) throw new Error("vonage-cc: still more pages after 100");
  const { data, error, response } = await client.GET("/useradmin/callbackNumbers", {
    params: { query: { limit: 5, page } },
  });
  pages += 1;
  if (data === undefined) {
    throw new Error(`vonage-cc: page ${page}: HTTP ${response.status}: ${JSON.stringify(error)}`);
  }
  ids.push(...data.callbackNumbers.map((n) => n.callbackNumberId));
  const { page: served, pageCount } = data.meta;
  console.log(`page ${page}: ${data.callbackNumbers.length} callback numbers, meta.page ${served}, meta.pageCount ${pageCount}`);
  if (served === undefined || pageCount === undefined) throw new Error("vonage-cc: meta.page or meta.pageCount is missing");
  if (data.callbackNumbers.length === 0 || served >= pageCount) break;
  page = served + 1;
}
if (new Set(ids).size !== ids.length) throw new Error(`vonage-cc: ${ids.length - new Set(ids).size} callback numbers listed twice`);
console.log(`listed ${ids.length} items in ${pages} pages`);
