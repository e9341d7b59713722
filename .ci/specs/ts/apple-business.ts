// Reads the list-response example of specs/apple-business.yaml through the types that
// openapi-typescript generated from it. Run by .ci/specs.sh.
import { readFileSync } from "node:fs";
import type { components, paths } from "./generated/apple-business.js";

type ListResponse =
  paths["/orgs/{orgId}/brands/{brandId}/caller-ids"]["get"]["responses"][200]["content"]["application/json"];
type CallerId = components["schemas"]["AppleCallerId"];

const page: ListResponse = JSON.parse(readFileSync(process.argv[2], "utf8"));
const items: CallerId[] = page.data;
if (items.length === 0) throw new Error("apple-business: the example lists no caller IDs");
const phones: (string | undefined)[] = items.map((c) => c.callerIdDetails.phoneNumber);
const after: string | undefined = page.pagination?.cursors?.after;
console.log(`apple-business: ${items.length} of ${page.total} caller IDs (${phones.join(", ")}), next cursor ${after}`);
