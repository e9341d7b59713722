// Lists every number of the mock Fone Dynamics account (mock_providers.py) with
// openapi-fetch and the types openapi-typescript generated from specs/fone-dynamics.yaml,
// paging by hand as the spec says: `Results_Skip` after the numbers received, until a page
// is empty (the API gives no total and no other end). A page is the `Numbers` envelope or
// a bare array.
// Usage: node list-fone-dynamics.js BASE_URL (run by .ci/specs.sh through
// check_clients.py); the last line of the output is `listed N items in P pages`.
import createClient from "openapi-fetch";
import type { paths } from "./generated/fone-dynamics.js";

const ACCOUNT = "AC0000000000000000000000000000000A";
// HTTP Basic with the account SID and a dummy API token.
const credentials = Buffer.from(`${ACCOUNT}:test-token`).toString("base64");
const client = createClient<paths>({ baseUrl: process.argv[2], headers: { Authorization: `Basic ${credentials}` } });
const numbers: (string | undefined)[] = [];
let skip = 0;
let pages = 0;
for (;;) {
  if (pages === 100) throw new Error("fone-dynamics: still more pages after 100");
  const { data, error, response } = await client.GET("/v2/Accounts/{AccountSid}/Numbers", {
    params: { path: { AccountSid: ACCOUNT }, query: { Results_Skip: skip, Results_Count: 10 } },
  });
  pages += 1;
  if (data === undefined) {
    throw new Error(`fone-dynamics: skip ${skip}: HTTP ${response.status}: ${JSON.stringify(error)}`);
  }
  const page = Array.isArray(data) ? data : data.Numbers;
  console.log(`skip ${skip}: ${page.length} numbers (${Array.isArray(data) ? "bare array" : "envelope"})`);
  if (page.length === 0) break;
  numbers.push(...page.map((n) => n.Number));
  skip += page.length;
}
if (new Set(numbers).size !== numbers.length) throw new Error(`fone-dynamics: ${numbers.length - new Set(numbers).size} numbers listed twice`);
console.log(`listed ${numbers.length} items in ${pages} pages`);
