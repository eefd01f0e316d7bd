// A message the mock accepts, with changes.
export function message(overrides = {}) {
  return {
    From: "sender@example.com",
    To: "receiver@example.com",
    Subject: "Hello",
    TextBody: "Hi there",
    ...overrides,
  };
}
