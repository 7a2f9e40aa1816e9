// Tries to connect to the given 127.0.0.1 ports or Unix socket paths; exit 0 only if one connected.
import net from "node:net";
const targets = process.argv.slice(2);
let connected = false;
for (const port of targets) {
  await new Promise((resolve) => {
    const s = port.startsWith("/") ? net.connect({ path: port, timeout: 2000 }) : net.connect({ host: "127.0.0.1", port: Number(port), timeout: 2000 });
    s.on("connect", () => {
      console.log(`CONNECTED to ${port}`);
      connected = true;
      s.destroy();
      resolve();
    });
    s.on("timeout", () => {
      console.log(`timeout on ${port}`);
      s.destroy();
      resolve();
    });
    s.on("error", (e) => {
      console.log(`cannot connect to ${port}: ${e.code}`);
      resolve();
    });
  });
}
process.exit(connected ? 0 : 1);
