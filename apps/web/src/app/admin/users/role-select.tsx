"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";

const ROLES = ["student", "grader", "admin"] as const;
type Role = (typeof ROLES)[number];

export function RoleSelect({ email, role, self }: { email: string; role: Role; self: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [value, setValue] = useState<Role>(role);
  const [error, setError] = useState<string>();
  const setRole = useMutation(trpc.admin.setRole.mutationOptions());
  return (
    <div>
      <select
        aria-label={`Role of ${email}`}
        value={value}
        disabled={setRole.isPending}
        onChange={async (event) => {
          const next = event.target.value as Role;
          setError(undefined);
          try {
            await setRole.mutateAsync({ email, role: next });
            setValue(next);
            router.refresh();
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
            {self && r === role ? " (you)" : ""}
          </option>
        ))}
      </select>
      {error && <div className="hint" role="alert" style={{ color: "var(--danger)" }}>{error}</div>}
    </div>
  );
}
