import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER as SERVER_HEADER, clientAddress, markClientAddress, parseTrustedProxyHops } from "../server.mjs";
import { CLIENT_ADDRESS_HEADER, clientAddress as appClientAddress } from "~/server/auth/client-address";

const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers: { ...headers } }) as unknown as IncomingMessage;

describe("the client address (server.mjs)", () => {
  it("is the socket's peer when no proxy is trusted: X-Forwarded-For is the client's own claim", () => {
    expect(clientAddress(request("::ffff:203.0.113.5", { "x-forwarded-for": "198.51.100.1" }), 0)).toBe("203.0.113.5");
    expect(clientAddress(request("::1"), 0)).toBe("::1");
  });

  it("takes the N-th X-Forwarded-For entry from the right with N trusted hops, ignoring what the client prepended", () => {
    const viaOne = request("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 203.0.113.5" });
    expect(clientAddress(viaOne, 1)).toBe("203.0.113.5");
    const viaTwo = request("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.9" });
    expect(clientAddress(viaTwo, 2)).toBe("203.0.113.5");
    // Ports and IPv4-mapped forms are normalised; garbage falls back to the nearest trusted address.
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "203.0.113.5:4711" }), 1)).toBe("203.0.113.5");
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "not-an-ip" }), 1)).toBe("10.0.0.2");
    // Fewer entries than hops: the leftmost there is.
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "203.0.113.5" }), 3)).toBe("203.0.113.5");
    expect(clientAddress(request("10.0.0.2"), 1)).toBe("10.0.0.2");
  });

  it("replaces a client-sent copy of the private header, which the app then reads", () => {
    const req = request("203.0.113.5", { [CLIENT_ADDRESS_HEADER]: "1.2.3.4", "x-forwarded-for": "1.2.3.4" });
    markClientAddress(req, 0);
    expect(req.headers[CLIENT_ADDRESS_HEADER]).toBe("203.0.113.5");
    expect(SERVER_HEADER).toBe(CLIENT_ADDRESS_HEADER);
    expect(appClientAddress(new Headers(req.headers as Record<string, string>))).toBe("203.0.113.5");
    expect(appClientAddress({ "x-forwarded-for": "1.2.3.4" })).toBeUndefined();
  });

  it("validates TRUSTED_PROXY_HOPS", () => {
    expect(parseTrustedProxyHops(undefined)).toBe(0);
    expect(parseTrustedProxyHops("2")).toBe(2);
    expect(() => parseTrustedProxyHops("one")).toThrow(/TRUSTED_PROXY_HOPS must be a whole number from 0 to 10/);
  });
});
