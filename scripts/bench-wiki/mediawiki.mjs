// MediaWiki 1.39 for the wiki benchmark, set up as a competent operator would on one machine: Debian's `mediawiki`
// package with PHP-FPM behind nginx, SQLite, opcache (on by default in PHP-FPM, timestamps not checked), APCu as the
// object and parser cache, the parser cache on, and the file cache serving anonymous page views. Installed with
// apt-get when absent (only here, never by `npm test`). Everything it writes lives in one temporary folder; the
// system's own nginx and PHP configuration are not touched, and the servers it starts are stopped at the end.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const MW = "/usr/share/mediawiki";
const PACKAGES = ["mediawiki", "php8.2-fpm", "php-sqlite3", "php-apcu", "nginx"];
const PHP_FPM = "/usr/sbin/php-fpm8.2";
const NGINX = "/usr/sbin/nginx";

const installed = () => [path.join(MW, "maintenance/install.php"), PHP_FPM, NGINX].every((f) => fs.existsSync(f)) && phpHas("apcu") && phpHas("pdo_sqlite");

function phpHas(module) {
  try {
    return execFileSync("php", ["-m"], { encoding: "utf8" }).split("\n").some((l) => l.trim().toLowerCase() === module);
  } catch {
    return false;
  }
}

/**
 * apt-get install, without recommends: `mediawiki` alone would pull Apache and mod_php (php8.2 prefers them), and the
 * operator here runs nginx and PHP-FPM. Package scripts must not start services: a policy-rc.d says no for the
 * duration (this machine may have no init system at all), and the benchmark starts its own servers.
 */
export function ensureMediaWiki(log) {
  if (installed()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`MediaWiki is not installed and installing needs root: run\n  sudo apt-get install --no-install-recommends ${PACKAGES.join(" ")}\nthen run the benchmark again.`);
  }
  log(`installing ${PACKAGES.join(", ")} with apt-get (once)...`);
  const policy = "/usr/sbin/policy-rc.d";
  const hadPolicy = fs.existsSync(policy);
  if (!hadPolicy) fs.writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...PACKAGES], { stdio: "inherit", env });
  } finally {
    if (!hadPolicy) fs.rmSync(policy, { force: true });
  }
  if (!installed()) throw new Error("apt-get finished but MediaWiki, PHP-FPM 8.2, APCu, SQLite or nginx is still missing.");
}

const xml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A Special:Export dump of the pages (one revision each), for importDump.php. */
function dump(pages) {
  const body = pages
    .map(
      ({ title, text }, i) => `  <page>
    <title>${xml(title)}</title>
    <ns>0</ns>
    <id>${i + 1000}</id>
    <revision>
      <id>${i + 1000}</id>
      <timestamp>2024-01-01T00:00:00Z</timestamp>
      <contributor><username>Admin</username><id>1</id></contributor>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text xml:space="preserve" bytes="${Buffer.byteLength(text)}">${xml(text)}</text>
    </revision>
  </page>`,
    )
    .join("\n");
  return `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n${body}\n</mediawiki>\n`;
}

/**
 * Installs a fresh wiki (SQLite) into a temporary folder, imports `pages`, and serves it on 127.0.0.1:`port` (file
 * cache on) and 127.0.0.1:`parserPort` (the same wiki with the file cache off: parser cache only).
 * Returns `stop()`.
 */
export async function startMediaWiki({ port, parserPort, pages, children = 16, log }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-bench-mediawiki-"));
  fs.chmodSync(work, 0o755);
  const dirs = { data: path.join(work, "data"), cache: path.join(work, "cache"), files: path.join(work, "filecache"), tmp: path.join(work, "nginx-tmp") };
  for (const d of Object.values(dirs)) fs.mkdirSync(d);
  // PHP-FPM's workers run as www-data: the database, caches and the LocalSettings they read are theirs (install.php
  // run as root would leave the SQLite files unreadable to them).
  execFileSync("chown", ["-R", "www-data:www-data", dirs.data, dirs.cache, dirs.files]);
  const settings = path.join(work, "LocalSettings.php");
  const asWww = (args, input) => execFileSync("runuser", ["-u", "www-data", "--", "php", ...args], { input, encoding: "utf8", stdio: [input ? "pipe" : "ignore", "pipe", "pipe"] });

  log("installing a fresh MediaWiki (SQLite)...");
  fs.chmodSync(work, 0o777);
  try {
    asWww([
      path.join(MW, "maintenance/install.php"),
      "--dbtype=sqlite",
      `--dbpath=${dirs.data}`,
      "--dbname=benchwiki",
      `--server=http://127.0.0.1:${port}`,
      "--scriptpath=",
      `--confpath=${work}`,
      `--pass=${randomBytes(12).toString("hex")}`,
      "--lang=en",
      "Bench Wiki",
      "Admin",
    ]);
  } finally {
    fs.chmodSync(work, 0o755);
  }
  fs.appendFileSync(
    settings,
    `
# --- the benchmark's settings: what an operator of a busy single-server wiki sets ---
$wgArticlePath = "/wiki/$1";
$wgServer = "http://127.0.0.1:" . ($_SERVER['SERVER_PORT'] ?? ${port});
$wgMainCacheType = CACHE_ACCEL;       # APCu
$wgParserCacheType = CACHE_ACCEL;     # rendered pages kept in APCu
$wgMessageCacheType = CACHE_ACCEL;
$wgSessionCacheType = CACHE_ACCEL;
$wgCacheDirectory = "${dirs.cache}";  # localisation cache on disk
$wgLocalisationCacheConf['manualRecache'] = false;
$wgEnableSidebarCache = true;
$wgMiserMode = true;
$wgJobRunRate = 0;                    # jobs run from cron, not during page views
$wgUseGzip = false;                   # the client asks for no compression, as with our site
# The file cache: anonymous views are served from rendered HTML files (the nginx server on the parser-cache port
# turns it off, to measure the parser cache alone).
$wgUseFileCache = ($_SERVER['MW_BENCH_FILE_CACHE'] ?? '1') === '1';
$wgFileCacheDirectory = "${dirs.files}";
$wgShowExceptionDetails = true;
`,
  );
  execFileSync("chown", ["www-data:www-data", settings]);

  log(`importing ${pages.length} pages into MediaWiki...`);
  const dumpFile = path.join(work, "pages.xml");
  fs.writeFileSync(dumpFile, dump(pages));
  fs.chmodSync(dumpFile, 0o644);
  asWww([path.join(MW, "maintenance/importDump.php"), `--conf=${settings}`, dumpFile]);
  asWww([path.join(MW, "maintenance/rebuildLocalisationCache.php"), `--conf=${settings}`, "--lang=en"]);

  // The web requests find the settings through MW_CONFIG_FILE, defined before MediaWiki starts.
  const prepend = path.join(work, "prepend.php");
  fs.writeFileSync(prepend, `<?php define('MW_CONFIG_FILE', ${JSON.stringify(settings)});\n`);
  const socket = path.join(work, "php-fpm.sock");
  const fpmConf = path.join(work, "php-fpm.conf");
  fs.writeFileSync(
    fpmConf,
    `[global]
pid = ${work}/php-fpm.pid
error_log = ${work}/php-fpm.log
daemonize = no

[bench]
user = www-data
group = www-data
listen = ${socket}
listen.mode = 0666
listen.backlog = 511
; as many PHP workers as concurrent clients: with fewer, requests queue on the socket
pm = static
pm.max_children = ${children}
pm.max_requests = 0
php_admin_value[auto_prepend_file] = ${prepend}
php_admin_value[opcache.enable] = 1
php_admin_value[opcache.validate_timestamps] = 0
php_admin_value[memory_limit] = 256M
`,
  );
  const nginxConf = path.join(work, "nginx.conf");
  const server = (listen, fileCache) => `
  server {
    listen 127.0.0.1:${listen};
    root ${MW};
    index index.php;
    location = / { return 301 /wiki/Main_Page; }
    location /wiki/ { rewrite ^ /index.php last; }
    location ~ ^/(index|load|api|rest)\\.php$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_param MW_BENCH_FILE_CACHE ${fileCache ? 1 : 0};
      # no keep-alive to PHP-FPM: a kept connection pins a PHP worker, and with few of them new requests stall
      fastcgi_pass unix:${socket};
    }
    location / { try_files $uri =404; }
  }`;
  fs.writeFileSync(
    nginxConf,
    `daemon off;
master_process on;
worker_processes auto;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log warn;
user www-data;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path ${dirs.tmp}/body;
  fastcgi_temp_path ${dirs.tmp}/fastcgi;
  proxy_temp_path ${dirs.tmp}/proxy;
  uwsgi_temp_path ${dirs.tmp}/uwsgi;
  scgi_temp_path ${dirs.tmp}/scgi;
${server(port, true)}
${server(parserPort, false)}
}
`,
  );

  const children_ = [];
  const startDaemon = (cmd, args, name) => {
    const out = fs.openSync(path.join(work, `${name}.out`), "a");
    const child = spawn(cmd, args, { stdio: ["ignore", out, out], detached: true });
    children_.push(child);
    return child;
  };
  startDaemon(PHP_FPM, ["--nodaemonize", "--fpm-config", fpmConf], "php-fpm");
  startDaemon(NGINX, ["-e", path.join(work, "nginx-error.log"), "-c", nginxConf], "nginx");
  const stop = async ({ keep = false } = {}) => {
    for (const child of children_) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  };
  return { stop, work };
}
