import type { Database } from "@course/db";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { PublicUser } from "~/server/auth/users";
import { handleMediaUpload, serveMedia } from "~/server/media/upload";
import { fileInfo, type StoredFile } from "~/server/media/store";
import { deletePage, savePage } from "~/server/wiki/pages";
import { eachBackend } from "./support/backends";

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png();

function upload(file: Uint8Array | Buffer, fileName: string, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(file)]), fileName);
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  return new Request("http://localhost/api/media", { method: "POST", body: form });
}

eachBackend((get: () => Database) => {
  describe("image uploads", () => {
    async function signedIn() {
      const { prisma } = get();
      const u = await prisma.user.create({ data: { email: "ann@example.com", name: "ann" } });
      const user: PublicUser = { id: u.id, email: u.email, name: "ann", role: "student" };
      return user;
    }

    it("re-encodes a PNG without its EXIF, serves it immutable and unsniffable, stores the same bytes once", async () => {
      const { prisma } = get();
      const user = await signedIn();
      const withExif = await png(40, 30).withExif({ IFD0: { Artist: "Secret Person", ImageDescription: "GPS 48.85,2.35" } }).toBuffer();
      expect((await sharp(withExif).metadata()).exif).toBeDefined();

      const res = await handleMediaUpload(upload(withExif, "my cat!.png", { page: "Lesson 1" }), { prisma, user });
      expect(res.status).toBe(201);
      const body = (await res.json()) as StoredFile;
      expect(body).toMatchObject({ name: "My_cat.png", contentType: "image/png", width: 40, height: 30, existing: false, filePage: "/wiki/File:My_cat.png" });
      expect(body.url).toMatch(/^\/media\/[0-9a-f]{64}\/My_cat\.png$/);
      expect(body.markdown).toBe(`![My_cat.png](${body.url})`);

      const [, , sha, name] = body.url.split("/");
      const served = await serveMedia(prisma, sha!, name!);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/png");
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const bytes = Buffer.from(await served.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: "png", width: 40, height: 30 });
      expect(meta.exif).toBeUndefined();
      expect(bytes.includes(Buffer.from("Secret Person"))).toBe(false);

      // Same bytes again under the same name: nothing new; under another name: one more name, still one blob.
      expect((await handleMediaUpload(upload(withExif, "my cat!.png"), { prisma, user })).status).toBe(200);
      const other = (await (await handleMediaUpload(upload(withExif, "again.png"), { prisma, user })).json()) as StoredFile;
      expect(other.name).toBe("Again.png");
      expect(await prisma.mediaBlob.count()).toBe(1);
      // A different image wanting a taken name gets a number: a name never changes what it shows.
      const red = await png(5, 5).toBuffer();
      expect(((await (await handleMediaUpload(upload(red, "my cat.png"), { prisma, user })).json()) as StoredFile).name).toBe("My_cat_2.png");
      // The wrong name for these bytes, or unknown bytes: 404.
      expect((await serveMedia(prisma, sha!, "Nope.png")).status).toBe(404);
    });

    it("bounds the dimensions, keeps the real format whatever the name says", async () => {
      const { prisma } = get();
      const user = await signedIn();
      const big = await png(3000, 1500).jpeg().toBuffer();
      const res = await handleMediaUpload(upload(big, "wide.png"), { prisma, user });
      expect(res.status).toBe(201);
      const body = (await res.json()) as StoredFile;
      expect(body).toMatchObject({ name: "Wide.jpg", contentType: "image/jpeg", width: 2048, height: 1024 });
      const [, , sha, name] = body.url.split("/");
      const meta = await sharp(Buffer.from(await (await serveMedia(prisma, sha!, name!)).arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: "jpeg", width: 2048, height: 1024 });
    });

    it("refuses text named .png, a corrupt image, a 6 MB file and anonymous uploads, storing nothing", async () => {
      const { prisma } = get();
      const user = await signedIn();
      const text = await handleMediaUpload(upload(Buffer.from("just some text, not an image\n".repeat(20)), "notes.png"), { prisma, user });
      expect(text.status).toBe(415);
      expect(await text.json()).toEqual({ error: "This file is not an image: upload a PNG, JPEG, GIF or WebP.", code: "unsupported-type" });

      const whole = await png(64, 64).toBuffer();
      const cut = await handleMediaUpload(upload(whole.subarray(0, Math.floor(whole.length / 2)), "cut.png"), { prisma, user });
      expect(cut.status).toBe(400);
      expect(((await cut.json()) as { code: string }).code).toBe("corrupt");

      const huge = await handleMediaUpload(upload(Buffer.alloc(6 * 1024 * 1024, 1), "huge.png"), { prisma, user });
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as { error: string }).error).toBe("The image is over 5 MB; upload a smaller one.");

      expect((await handleMediaUpload(upload(whole, "a.png"), { prisma, user: null })).status).toBe(401);
      expect(await prisma.mediaBlob.count()).toBe(0);
      expect(await prisma.mediaFile.count()).toBe(0);
    });

    it("the file page lists the wiki pages whose current text shows the image", async () => {
      const { prisma } = get();
      const user = await signedIn();
      const stored = (await (await handleMediaUpload(upload(await png(8, 8).toBuffer(), "dot.png"), { prisma, user })).json()) as StoredFile;
      const author = { id: user.id, name: "ann", role: "student" as const };
      await savePage(prisma, { title: "Tips", body: `Look: ${stored.markdown}`, baseRevision: 0, author });
      await savePage(prisma, { title: "Other", body: `Also ![dot](${stored.url})`, baseRevision: 0, author });
      await savePage(prisma, { title: "Gone", body: `Was ${stored.markdown}`, baseRevision: 0, author });
      expect((await fileInfo(prisma, "Dot.png"))!.usedOn.map((p) => p.title)).toEqual(["Gone", "Other", "Tips"]);
      // A page that stops showing it, and a deleted page, no longer count.
      await savePage(prisma, { title: "Other", body: "No image now.", baseRevision: 1, author });
      const admin = await prisma.user.create({ data: { email: "root@example.com", name: "root", role: "admin" } });
      await deletePage(prisma, { title: "Gone", reason: "test", actor: { id: admin.id, name: "root", role: "admin" } });
      const info = (await fileInfo(prisma, "Dot.png"))!;
      expect(info.usedOn).toEqual([{ key: "Tips", title: "Tips" }]);
      expect(info).toMatchObject({ width: 8, height: 8, uploader: "ann", contentType: "image/png" });
      expect(await fileInfo(prisma, "Missing.png")).toBeNull();
    });
  });
});
