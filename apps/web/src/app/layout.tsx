import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Nav } from "~/components/nav";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

// Nothing here reads the request: the header asks who is signed in after load, so that the pages that are the same
// for everyone (home, lessons, leaderboards) can be cached whole. Pages that depend on the visitor read the session
// themselves (requireUser, getCurrentUser, api()), which makes them dynamic; a page that reads changing data without
// that must say `export const dynamic = "force-dynamic"` (or set `revalidate`), or it is prerendered at build time.
export const metadata: Metadata = {
  title: { default: "Deep Learning for Coders", template: "%s · Deep Learning for Coders" },
  description: "A practical deep-learning course: lessons, notebooks, and graded homework.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <TRPCReactProvider>
          <Nav />
          <main id="main">{children}</main>
        </TRPCReactProvider>
        <footer className="site-footer">
          <div className="inner">Deep Learning for Coders · practical deep learning, from the first lesson to graded homework.</div>
        </footer>
      </body>
    </html>
  );
}
