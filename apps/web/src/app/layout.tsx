import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Nav } from "~/components/nav";
import { getCurrentUser } from "~/server/auth/session";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

// Every page shows who is signed in, so nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Deep Learning for Coders", template: "%s · Deep Learning for Coders" },
  description: "A practical deep-learning course: lessons, notebooks, and graded homework.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <Nav user={user} />
        <TRPCReactProvider>
          <main id="main">{children}</main>
        </TRPCReactProvider>
        <footer className="site-footer">
          <div className="inner">Deep Learning for Coders · practical deep learning, from the first lesson to graded homework.</div>
        </footer>
      </body>
    </html>
  );
}
