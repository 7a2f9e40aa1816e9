"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button secondary"
      disabled={busy}
      // Sessions are ended on the server by account, not one by one (see server/auth/session-version.ts).
      title="Signs you out on every device"
      onClick={() => {
        setBusy(true);
        void signOut({ callbackUrl: "/" });
      }}
    >
      Sign out
    </button>
  );
}
