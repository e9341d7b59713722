// Reads the list-response example of specs/vonage-cc.yaml through the types that
// openapi-typescript generated from it. Run by .ci/specs.sh.
import { readFileSync } from "node:fs";
import type { components, paths } from "./generated/vonage-cc.js";

type ListResponse =
  paths["/useradmin/callbackNumbers"]["get"]["responses"][200]["content"]["application/vnd.newvoicemedia.v4+json"];
type CallbackNumber = components["schemas"]["CallbackNumber"];

const page: ListResponse = JSON.parse(readFileSync(process.argv[2], "utf8"));
const items: CallbackNumber[] = page.callbackNumbers;
if (items.length === 0) throw new Error("vonage-cc: the example lists no callback numbers");
const pageCount: number | undefined = page.meta.pageCount;
const clids: (string | undefined)[] = items.map((n) => n.callbackNumberClid);
console.log(`vonage-cc: ${items.length} callback numbers (${clids.join(", ")}), ${pageCount} page(s)`);
