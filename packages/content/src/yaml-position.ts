import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from "yaml";

/** The 1-based line of the node at `path` in a YAML document that starts on `firstLine` of its file. */
export function yamlLineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[], firstLine = 1): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents)?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
      if (pair.value && (pair.value as YamlNode).range) offset = (pair.value as YamlNode).range?.[0] ?? offset;
    } else if (isSeq(node) && typeof key === "number") {
      const item = node.items[key];
      if (!item) break;
      node = item;
      offset = (item as YamlNode).range?.[0] ?? offset;
    } else break;
  }
  return counter.linePos(offset).line + firstLine - 1;
}
