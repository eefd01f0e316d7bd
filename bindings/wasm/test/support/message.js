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

/** Everything an error shows (message, stack, properties, cause), to check that no token is in it. */
export const shown = (error) => `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error.cause)}`;
