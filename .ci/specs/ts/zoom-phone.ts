// Reads the list-response example of specs/zoom-phone.yaml through the types that
// openapi-typescript generated from it. Run by .ci/specs.sh.
import { readFileSync } from "node:fs";
import type { components, paths } from "./generated/zoom-phone.js";

type ListResponse = paths["/phone/numbers"]["get"]["responses"][200]["content"]["application/json"];
type ZoomPhoneNumber = components["schemas"]["ZoomPhoneNumber"];

const page: ListResponse = JSON.parse(readFileSync(process.argv[2], "utf8"));
const items: ZoomPhoneNumber[] = page.phone_numbers ?? [];
if (items.length === 0) throw new Error("zoom-phone: the example lists no numbers");
const assignees: (string | undefined)[] = items.map((n) => n.assignee?.type);
console.log(`zoom-phone: ${items.length} of ${page.total_records} numbers (${items.map((n) => n.number).join(", ")}), assignees ${assignees.join(", ")}, next token ${page.next_page_token ? "set" : "empty"}`);
