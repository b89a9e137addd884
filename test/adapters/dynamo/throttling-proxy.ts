import { createHash } from "node:crypto";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface ThrottlingProxy {
  endpoint: string;
  /** Requests answered with a throttling error instead of being forwarded. */
  throttled(): number;
  forwarded(): number;
  close(): Promise<void>;
}

const ERRORS = [
  "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
  "com.amazon.coral.availability#ThrottlingException",
] as const;

/**
 * An HTTP proxy in front of dynalite that answers some requests the way DynamoDB does when it
 * throttles: HTTP 400 with a JSON `__type`. `throttles(operation)` says how many attempts of one
 * SDK operation (told apart by its amz-sdk-invocation-id header, the same on every retry) to
 * throttle before forwarding; the attempt number comes from the amz-sdk-request header.
 */
export async function startThrottlingProxy(
  target: string,
  throttles: (operation: { invocationId: string; target: string }) => number,
): Promise<ThrottlingProxy> {
  const upstream = new URL(target);
  let throttled = 0;
  let forwarded = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const invocationId = String(incoming.headers["amz-sdk-invocation-id"] ?? "");
      const operation = String(incoming.headers["x-amz-target"] ?? "");
      const attempt = Number(
        /attempt=(\d+)/.exec(String(incoming.headers["amz-sdk-request"]))?.[1] ?? 1,
      );
      if (attempt <= throttles({ invocationId, target: operation })) {
        throttled++;
        const digest = createHash("sha256").update(invocationId).digest();
        const type = ERRORS[(digest[0] ?? 0) % ERRORS.length];
        const payload = JSON.stringify({
          __type: type,
          message: "Rate of requests exceeds the allowed throughput.",
        });
        outgoing.writeHead(400, {
          "content-type": "application/x-amz-json-1.0",
          "content-length": Buffer.byteLength(payload),
          "x-amzn-requestid": `throttled-${throttled}`,
        });
        outgoing.end(payload);
        return;
      }
      forwarded++;
      const proxied = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 500, response.headers);
          response.pipe(outgoing);
        },
      );
      proxied.on("error", (error) => outgoing.destroy(error));
      proxied.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address: string | AddressInfo | null = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy not listening");
  const { port } = address;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    throttled: () => throttled,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
