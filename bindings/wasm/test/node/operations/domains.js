// Domains (account token): a domain from creation through the publication of
// its records (the mock's control route), a DKIM key renewal and a new
// Return-Path domain, to its removal; the list, a page at a time.
import assert from "node:assert/strict";
import { test } from "node:test";
import { account, collect, group, logged, mock } from "../../support/operations.js";

/** The mock's stand-in for publishing the domain's records in DNS: every record verifies. */
const publish = (id) => mock.control("POST", `domains/${id}/verify`);

export default () =>
  group("domains", () => {
    test("create, get, verifyDkim, edit, rotateDkim, verifyReturnPath, verifySpf, delete", async () => {
      const domain = await account.createDomain({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com" });
      const id = domain.ID;
      assert.equal(domain.Name, "example.com");
      assert.deepEqual([domain.DKIMVerified, domain.SPFVerified, domain.ReturnPathDomainVerified], [false, false, false]);
      assert.equal(domain.DKIMHost, "");
      const firstKey = domain.DKIMPendingHost;
      assert.match(firstKey, /pm\._domainkey\.example\.com$/);
      assert.equal(domain.DKIMUpdateStatus, "Pending");
      assert.deepEqual([domain.ReturnPathDomain, domain.ReturnPathDomainCNAMEValue], ["pm-bounces.example.com", "pm.mtasv.net"]);
      assert.deepEqual(await account.getDomain({ id }), domain);

      // Before the records are in DNS the checks find nothing, and a new Return-Path domain is refused.
      assert.deepEqual(await account.verifyDomainDkim({ id }), domain);
      assert.deepEqual(await account.verifyDomainReturnPath({ id }), domain);
      assert.equal((await account.verifyDomainSpf({ id })).SPFVerified, false);
      await assert.rejects(account.editDomain({ id, ReturnPathDomain: "bounces.example.com" }), {
        name: "PostmarkError",
        errorCode: 523,
        errorName: "RETURN_PATH_CNAME_REQUIRED",
      });

      const published = await publish(id);
      assert.deepEqual([published.ID, published.DKIMVerified, published.SPFVerified], [id, true, true]);
      const verified = await account.getDomain({ id });
      assert.deepEqual(verified, published);
      assert.equal(verified.ReturnPathDomainVerified, true);
      assert.deepEqual([verified.DKIMHost, verified.DKIMPendingHost, verified.DKIMUpdateStatus], [firstKey, "", "Verified"]);

      // A renewal: the new key pends until checked, then replaces the old one.
      const rotating = await account.rotateDomainDkim({ id });
      const secondKey = rotating.DKIMPendingHost;
      assert.ok(secondKey && secondKey !== firstKey, secondKey);
      assert.deepEqual([rotating.DKIMHost, rotating.DKIMUpdateStatus], [firstKey, "Pending"]);
      await assert.rejects(account.rotateDomainDkim({ id }), { errorCode: 505, errorName: "DKIM_ALREADY_RENEWING" });
      const rotated = await account.verifyDomainDkim({ id });
      assert.deepEqual(
        [rotated.DKIMHost, rotated.DKIMRevokedHost, rotated.SafeToRemoveRevokedKeyFromDNS, rotated.DKIMUpdateStatus],
        [secondKey, firstKey, true, "Verified"],
      );

      // A new Return-Path domain is unverified until checked.
      const edited = await account.editDomain({ id, ReturnPathDomain: "bounces.example.com" });
      assert.deepEqual([edited.ReturnPathDomain, edited.ReturnPathDomainVerified], ["bounces.example.com", false]);
      const checked = await account.verifyDomainReturnPath({ id });
      assert.deepEqual([checked.ReturnPathDomain, checked.ReturnPathDomainVerified], ["bounces.example.com", true]);
      await assert.rejects(account.editDomain({ id, ReturnPathDomain: "bounces.example.org" }), {
        errorCode: 522,
        errorName: "INVALID_ADDRESS_OR_DOMAIN",
      });

      assert.deepEqual(await account.verifyDomainSpf({ id }), {
        SPFVerified: true,
        SPFHost: "example.com",
        SPFTextValue: "v=spf1 a mx include:spf.mtasv.net ~all",
      });

      const deleted = await account.deleteDomain({ id });
      assert.deepEqual([deleted.ErrorCode, deleted.Message], [0, "Domain example.com removed."]);
      await assert.rejects(account.getDomain({ id }), { errorCode: 510, errorName: "DOMAIN_NOT_FOUND" });
      assert.deepEqual(await account.listDomains(), { Domains: [], TotalCount: 0 });
      const log = (await mock.requests()).map((r) => [r.method, r.path.replace(`/domains/${id}`, "/domains/{id}"), r.token]);
      assert.ok(log.every(([, , token]) => token === "account"));
      assert.deepEqual([...new Set(log.map(([method, path]) => `${method} ${path}`))], [
        "POST /domains",
        "GET /domains/{id}",
        "PUT /domains/{id}/verifyDkim",
        "PUT /domains/{id}/verifyReturnPath",
        "POST /domains/{id}/verifyspf",
        "PUT /domains/{id}",
        "POST /domains/{id}/rotatedkim",
        "DELETE /domains/{id}",
        "GET /domains",
      ]);
      await logged();
    });

    test("listDomains: a page, and every domain with for await", async () => {
      const names = ["a.example", "b.example", "c.example"];
      for (const Name of names) await account.createDomain({ Name });
      await publish(2);
      const page = await account.listDomains({ count: 2, offset: 1 });
      assert.equal(page.TotalCount, 3);
      // No custom Return-Path domain: nothing of it to verify.
      assert.deepEqual(
        page.Domains.map((d) => [d.Name, d.DKIMVerified, d.SPFVerified, d.ReturnPathDomainVerified]),
        [
          ["b.example", true, true, false],
          ["c.example", false, false, false],
        ],
      );
      const walk = account.listDomains({ count: 2 });
      assert.deepEqual(await collect(walk, "Name"), names);
      assert.equal(walk.stopReason, "exhausted");
      await assert.rejects(account.createDomain({ Name: "gmail.com" }), { errorCode: 503, errorName: "PUBLIC_DOMAIN_NOT_ALLOWED" });
      await assert.rejects(account.createDomain({ Name: "a.example" }), { errorCode: 512, errorName: "DOMAIN_EXISTS" });
      assert.equal((await account.listDomains()).TotalCount, 3);
      await logged();
    });
  });
