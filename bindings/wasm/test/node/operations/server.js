// Server: the server of the token, read and changed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { group, logged, server } from "../../support/operations.js";

export default () =>
  group("server", () => {
    test("getCurrentServer and editCurrentServer", async () => {
      const current = await server.getCurrentServer();
      assert.equal(typeof current.ID, "number");
      assert.ok(Array.isArray(current.ApiTokens));
      const edited = await server.editCurrentServer({ Name: "Renamed", Color: "Green", TrackOpens: true });
      assert.equal(edited.Name, "Renamed");
      assert.equal(edited.Color.toLowerCase(), "green");
      assert.equal((await server.getCurrentServer({})).Name, "Renamed");
      await logged();
    });
  });
