// Lists every caller ID of a brand of the mock Apple Business Connect organization
// (mock_providers.py) with openapi-fetch and the types openapi-typescript generated from
// specs/apple-business.yaml, paging by hand as the spec says: pass
// `pagination.cursors.after` back as `after` until `pagination` is empty.
// Usage: node list-apple-business.js BASE_URL (run by .ci/specs.sh through
// check_clients.py); the last line of the output is `listed N items in P pages`.
import createClient from "openapi-fetch";
import type { paths } from "./generated/apple-business.js";

const ORG = "9467895078742654934";
const BRAND = "9467895078742654921";
const client = createClient<paths>({ baseUrl: process.argv[2], headers: { Authorization: "Bearer test-token" } });
const ids: string[] = [];
let after: string | undefined;
let pages = 0;
for (;;) {
  if (pages === 100) throw new Error("apple-business: still more pages after 100");
  const { data, error, response } = await client.GET("/orgs/{orgId}/brands/{brandId}/caller-ids", {
    params: { path: { orgId: ORG, brandId: BRAND }, query: { limit: 4, after } },
  });
  pages += 1;
  if (data === undefined) {
    throw new Error(`apple-business: after ${after}: HTTP ${response.status}: ${JSON.stringify(error)}`);
  }
  ids.push(...data.data.map((c) => c.id));
  after = data.pagination?.cursors?.after;
  console.log(`page ${pages}: ${data.data.length} caller IDs of ${data.total}, next cursor ${after ?? "none"}`);
  if (after === undefined) break;
}
if (new Set(ids).size !== ids.length) throw new Error(`apple-business: ${ids.length - new Set(ids).size} caller IDs listed twice`);
console.log(`listed ${ids.length} items in ${pages} pages`);
