// The AWS SDK for JavaScript v3 against the packaged Sluice server, in two versions: the current one speaks
// AWS JSON 1.0 (like every current SDK); 3.405.0 (September 2023) still speaks the query protocol
// (form-encoded requests, XML replies). The last test of each block checks which protocol was on the wire.
import { after, before } from "node:test";
import * as current from "@aws-sdk/client-sqs";
import * as query from "aws-sdk-client-sqs-3.405.0";
import { startSluice } from "./sluice-server.mjs";
import { sqsFlows } from "./sqs-flows.mjs";

let server;
before(async () => {
    server = await startSluice();
});
after(async () => {
    await server?.stop();
});
const endpoint = () => server.endpoint;

sqsFlows("@aws-sdk/client-sqs 3.1175.0 (AWS JSON 1.0)", {
    sdk: current, protocol: "json", contentType: "application/x-amz-json-1.0", systemAttributeNames: true, endpoint,
});
sqsFlows("@aws-sdk/client-sqs 3.405.0 (query protocol)", {
    sdk: query, protocol: "query", contentType: "application/x-www-form-urlencoded", systemAttributeNames: false, endpoint,
});
