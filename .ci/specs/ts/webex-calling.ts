// Reads the list-response example of specs/webex-calling.yaml through the types that
// openapi-typescript generated from it. Run by .ci/specs.sh.
import { readFileSync } from "node:fs";
import type { components, paths } from "./generated/webex-calling.js";

type ListResponse =
  paths["/v1/telephony/config/numbers"]["get"]["responses"][200]["content"]["application/json"];
type WebexNumber = components["schemas"]["WebexNumber"];

const page: ListResponse = JSON.parse(readFileSync(process.argv[2], "utf8"));
const items: WebexNumber[] = page.phoneNumbers ?? [];
if (items.length === 0) throw new Error("webex-calling: the example lists no numbers");
// `phoneNumber` is nullable: extension-only entries have none.
const numbers: string[] = items.map((n) => n.phoneNumber ?? `ext. ${n.extension ?? "?"}`);
// The property's own type: the listed values, or any string once the enum is open.
const states: WebexNumber["state"][] = items.map((n) => n.state);
console.log(`webex-calling: ${items.length} entries (${numbers.join(", ")}), states ${states.join(", ")}`);
