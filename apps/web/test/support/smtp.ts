import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Raw header values by lower-case name, unfolded. */
  header(name: string): string | undefined;
  parsed: ParsedMail;
}

/** How the server answers the next RCPT TO commands: accept, or an SMTP error code ("451 try later", "550 no such user"). */
type Answer = "accept" | { code: number; message: string };

/**
 * A real SMTP server in the test's process: the boundary the email worker talks to. It records what it receives and
 * can be told to refuse the next recipients (temporarily or for good) or to require a password.
 */
export async function startSmtpServer(options: { user?: string; password?: string } = {}) {
  const received: ReceivedEmail[] = [];
  const answers: Answer[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    disabledCommands: options.user ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    allowInsecureAuth: true,
    authOptional: !options.user,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? "");
      if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const answer = answers.shift() ?? "accept";
      if (answer === "accept") callback();
      else callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const lines = new Map(parsed.headerLines.map((h) => [h.key, h.line.replace(/\r?\n[ \t]+/g, " ").replace(/^[^:]+:\s*/, "")]));
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            header: (name) => lines.get(name.toLowerCase()),
            parsed,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: options.user ? `smtp://${encodeURIComponent(options.user)}:${encodeURIComponent(options.password ?? "")}@127.0.0.1:${port}` : `smtp://127.0.0.1:${port}`,
    received,
    logins,
    /** The next recipients are answered with these codes, in order (then accepted again). */
    refuseNext(...codes: { code: number; message: string }[]) {
      answers.push(...codes);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
