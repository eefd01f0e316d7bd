// Sender signatures (account token): a signature from creation through its
// owner's confirmation (the mock's control route) and a DKIM key renewal, to
// its removal; the list, a page at a time.
import assert from "node:assert/strict";
import { test } from "node:test";
import { account, collect, group, logged, mock } from "../../support/operations.js";

/** The mock's stand-in for the owner following the confirmation link; it also publishes and verifies the records. */
const confirm = (id) => mock.control("POST", `senders/${id}/confirm`);

export default () =>
  group("sender signatures", () => {
    test("create, get, resend, verifySpf, requestNewDkim, edit, delete", async () => {
      const created = await account.createSenderSignature({
        FromEmail: "jp@example.com",
        Name: "JP Toto",
        ReplyToEmail: "info@example.com",
        ReturnPathDomain: "pm-bounces.example.com",
        ConfirmationPersonalNote: "Hi JP, please confirm.",
      });
      const id = created.ID;
      assert.deepEqual(
        [created.Name, created.Domain, created.EmailAddress, created.ReplyToEmailAddress, created.ConfirmationPersonalNote],
        ["JP Toto", "example.com", "jp@example.com", "info@example.com", "Hi JP, please confirm."],
      );
      assert.deepEqual([created.Confirmed, created.DKIMVerified, created.SPFVerified], [false, false, false]);
      assert.equal(created.ReturnPathDomain, "pm-bounces.example.com");
      assert.deepEqual(await account.getSenderSignature({ id }), created);

      // Before confirmation the link can be sent again, and SPF is not found.
      const resent = await account.resendSenderSignatureConfirmation({ id });
      assert.equal(resent.ErrorCode, 0);
      assert.match(resent.Message, /jp@example\.com/);
      assert.equal((await account.verifySenderSignatureSpf({ id })).SPFVerified, false);

      const confirmed = await confirm(id);
      assert.deepEqual([confirmed.ID, confirmed.Confirmed], [id, true]);
      const fetched = await account.getSenderSignature({ id });
      assert.deepEqual(fetched, confirmed);
      assert.deepEqual([fetched.DKIMVerified, fetched.SPFVerified, fetched.DKIMUpdateStatus], [true, true, "Verified"]);
      await assert.rejects(account.resendSenderSignatureConfirmation({ id }), {
        name: "PostmarkError",
        errorCode: 506,
        errorName: "SENDER_SIGNATURE_ALREADY_CONFIRMED",
      });
      const spf = await account.verifySenderSignatureSpf({ id });
      assert.deepEqual([spf.ID, spf.SPFVerified], [id, true]);

      // A new key, once: a second request while it is pending is refused.
      const renewal = await account.requestNewSenderSignatureDkim({ id });
      assert.equal(renewal.ErrorCode, 0);
      const pending = await account.getSenderSignature({ id });
      assert.equal(pending.DKIMUpdateStatus, "Pending");
      assert.ok(pending.DKIMPendingHost, "a new key's host");
      assert.notEqual(pending.DKIMPendingHost, fetched.DKIMHost);
      await assert.rejects(account.requestNewSenderSignatureDkim({ id }), { errorCode: 505, errorName: "DKIM_ALREADY_RENEWING" });

      const edited = await account.editSenderSignature({ id, Name: "JP", ReplyToEmail: "" });
      assert.deepEqual([edited.Name, edited.ReplyToEmailAddress, edited.EmailAddress], ["JP", "", "jp@example.com"]);
      assert.equal(edited.ConfirmationPersonalNote, "Hi JP, please confirm.", "what the edit leaves out stays");
      assert.equal((await account.getSenderSignature({ id })).Name, "JP");

      const deleted = await account.deleteSenderSignature({ id });
      assert.deepEqual([deleted.ErrorCode, deleted.Message], [0, "Signature jp@example.com removed."]);
      await assert.rejects(account.getSenderSignature({ id }), {
        status: 404,
        kind: "not_found",
        errorCode: 501,
        errorName: "SENDER_SIGNATURE_NOT_FOUND",
      });
      assert.deepEqual(await account.listSenderSignatures(), { SenderSignatures: [], TotalCount: 0 });
      await logged();
    });

    test("listSenderSignatures: a page, and every signature with for await", async () => {
      const first = await account.createSenderSignature({ FromEmail: "a@example.com", Name: "A" });
      await account.createSenderSignature({ FromEmail: "b@example.org", Name: "B" });
      await confirm(first.ID);
      const page = await account.listSenderSignatures();
      assert.equal(page.TotalCount, 2);
      assert.deepEqual(
        page.SenderSignatures.map((s) => [s.EmailAddress, s.Domain, s.Confirmed]),
        [
          ["a@example.com", "example.com", true],
          ["b@example.org", "example.org", false],
        ],
      );
      const walk = account.listSenderSignatures({ count: 1 });
      assert.deepEqual(await collect(walk, "Name"), ["A", "B"]);
      assert.equal(walk.stopReason, "exhausted");
      await assert.rejects(account.createSenderSignature({ FromEmail: "a@example.com", Name: "X" }), {
        errorCode: 504,
        errorName: "SENDER_SIGNATURE_EXISTS",
      });
      await assert.rejects(account.createSenderSignature({ FromEmail: "someone@gmail.com", Name: "X" }), {
        errorCode: 503,
        errorName: "PUBLIC_DOMAIN_NOT_ALLOWED",
      });
      assert.deepEqual(
        (await mock.requests()).map((r) => r.query).filter(Boolean),
        ["count=500&offset=0", "count=1&offset=0", "count=1&offset=1"],
      );
      await logged();
    });
  });
