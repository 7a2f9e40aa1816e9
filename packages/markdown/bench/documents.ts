// Generated documents for the throughput bench (bench.ts) and the output-equality check (same-output.ts).

/** A long wiki-like page: headings, links of every kind, mentions, lists, a quote, a table and a short fence per section. */
export function wikiDocument(sections: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sections; i++) {
    parts.push(
      `## Section ${i}\n\nSome **bold** and _italic_ text with a [[Page ${i % 50}]] link, a [[Missing ${i}|red link]], @alice, ` +
        `[[Lesson 1@${i % 60}:${String(i % 60).padStart(2, "0")}]] and [a link](https://example.com/${i}).\n\n` +
        `- item one\n- item two with \`code\`\n  - nested item\n\n> [!quote @alice](/forum/t/${i}#p1)\n> Quoted text for section ${i}.\n\n` +
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\ndef f(x):\n    return x * 2\n```\n",
    );
  }
  return parts.join("\n");
}

/** The first `bytes` of the wiki document, cut at a section boundary: a typical long wiki page. */
export function wikiPage(bytes: number): string {
  const doc = wikiDocument(Math.ceil(bytes / 300));
  const cut = doc.lastIndexOf("\n## ", bytes);
  return doc.slice(0, cut > 0 ? cut : bytes);
}

const SNIPPETS: [string, string][] = [
  ["python", "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    def __init__(self, n_in: int, n_out: int = 10):\n        super().__init__()\n        self.lin = nn.Linear(n_in, n_out)  # one layer\n\n    def forward(self, x):\n        return torch.relu(self.lin(x)) * 0.5 + 1e-3\n\nfor epoch in range(3):\n    loss = learn.fit_one_cycle(1, lr_max=3e-3)\n    print(f\"epoch {epoch}: {loss:.4f}\")\n"],
  ["js", "export async function load(url, { retries = 3 } = {}) {\n  for (let i = 0; i < retries; i++) {\n    const res = await fetch(url);\n    if (res.ok) return res.json();\n    await new Promise((r) => setTimeout(r, 2 ** i * 100));\n  }\n  throw new Error(`failed: ${url}`);\n}\n"],
  ["ts", "interface Cell { kind: \"code\" | \"markdown\"; source: string[] }\nconst count = (cells: Cell[]): number => cells.filter((c) => c.kind === \"code\").length;\ntype Grade = Record<string, { score: number; max: number }>;\n"],
  ["bash", "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.ipynb; do\n  jupyter nbconvert --to html \"$f\" && echo \"done $f\"\ndone\n"],
  ["json", "{\n  \"name\": \"course\",\n  \"lessons\": [1, 2, 3],\n  \"video\": { \"start\": 0, \"end\": 1874.5, \"captions\": true }\n}\n"],
  ["", "plain text block\nwith no language at all\n"],
];

/** Mostly fenced code in several languages, with a line of prose between blocks. */
export function codeDocument(blocks: number): string {
  const parts: string[] = [];
  for (let i = 0; i < blocks; i++) {
    const [language, code] = SNIPPETS[i % SNIPPETS.length]!;
    parts.push(`Step ${i}: run this and compare with \`expected_${i}\`.\n\n\`\`\`${language}\n${code}\`\`\`\n`);
  }
  return parts.join("\n");
}

export const benchOptions = {
  user: (n: string) => (n === "alice" ? { url: "/users/alice" } : undefined),
  lesson: (n: string) => (n === "Lesson 1" ? { slug: "lesson-1" } : undefined),
  wikiPage: (t: string) => ({ url: `/wiki/${t.replace(/ /g, "_")}`, exists: !t.startsWith("Missing") }),
};
