import { ProtoWriter } from "./protobuf";

/**
 * Cutting a full ONNX classifier at its pooled features without an ONNX library: read just enough of the
 * ModelProto wire format to list the graph's nodes and outputs, and append a graph output (GraphProto field 12) for
 * the pooled tensor. Every other byte of the model is kept as it was.
 */

interface Field {
  field: number;
  wire: number;
  /** For length-delimited fields: the payload; for others: the raw bytes of the value. */
  bytes: Uint8Array;
  /** The whole field, tag included. */
  raw: Uint8Array;
}

function readVarint(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= b.length) throw new Error("truncated varint");
    const byte = b[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
    if (shift > 63) throw new Error("varint too long");
  }
}

function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < b.length) {
    const start = pos;
    const [tag, p1] = readVarint(b, pos);
    pos = p1;
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let valueStart = pos;
    let valueEnd: number;
    if (wire === 0) valueEnd = readVarint(b, pos)[1];
    else if (wire === 1) valueEnd = pos + 8;
    else if (wire === 5) valueEnd = pos + 4;
    else if (wire === 2) {
      const [len, p2] = readVarint(b, pos);
      valueStart = p2;
      valueEnd = p2 + len;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
    if (valueEnd > b.length) throw new Error("truncated protobuf field");
    out.push({ field, wire, bytes: b.subarray(valueStart, valueEnd), raw: b.subarray(start, valueEnd) });
    pos = valueEnd;
  }
  return out;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

export interface OnnxGraphSummary {
  nodes: { op: string; inputs: string[]; outputs: string[] }[];
  outputs: string[];
}

function graphOf(model: Uint8Array): { graph: Field; all: Field[] } {
  const all = fields(model);
  const graph = all.find((f) => f.field === 7 && f.wire === 2);
  if (!graph) throw new Error("not an ONNX model (no graph)");
  return { graph, all };
}

export function summariseGraph(model: Uint8Array): OnnxGraphSummary {
  const { graph } = graphOf(model);
  const nodes: OnnxGraphSummary["nodes"] = [];
  const outputs: string[] = [];
  for (const f of fields(graph.bytes)) {
    if (f.field === 1 && f.wire === 2) {
      const n = { op: "", inputs: [] as string[], outputs: [] as string[] };
      for (const nf of fields(f.bytes)) {
        if (nf.field === 1) n.inputs.push(text(nf.bytes));
        else if (nf.field === 2) n.outputs.push(text(nf.bytes));
        else if (nf.field === 4) n.op = text(nf.bytes);
      }
      nodes.push(n);
    } else if (f.field === 12 && f.wire === 2) {
      const name = fields(f.bytes).find((v) => v.field === 1);
      if (name) outputs.push(text(name.bytes));
    }
  }
  return { nodes, outputs };
}

/**
 * The tensor holding a classifier's pooled features: the output of its last GlobalAveragePool, else the input of
 * the Flatten/Reshape/Gemm/MatMul chain feeding the final classifier layer.
 */
export function findPooledTensor(g: OnnxGraphSummary): string | undefined {
  const gap = g.nodes.filter((n) => n.op === "GlobalAveragePool").at(-1);
  if (gap?.outputs[0]) return gap.outputs[0];
  const producer = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const dense = g.nodes.filter((n) => n.op === "Gemm" || n.op === "MatMul").at(-1);
  let t = dense?.inputs[0];
  while (t) {
    const p = producer.get(t);
    if (!p || !["Flatten", "Reshape", "Squeeze", "Dropout"].includes(p.op)) return t;
    t = p.inputs[0];
  }
  return undefined;
}

/** The model with `tensor` added as a graph output (float, shape left to the runtime). */
export function addGraphOutput(model: Uint8Array, tensor: string): Uint8Array {
  const { graph, all } = graphOf(model);
  const valueInfo = new ProtoWriter()
    .message(12, (v) => {
      v.string(1, tensor);
      v.message(2, (type) => type.message(1, (tt) => tt.int(1, 1)));
    })
    .finish();
  const newGraph = new Uint8Array(graph.bytes.length + valueInfo.length);
  newGraph.set(graph.bytes);
  newGraph.set(valueInfo, graph.bytes.length);
  const parts: Uint8Array[] = [];
  for (const f of all) {
    if (f === graph) {
      parts.push(new ProtoWriter().bytes(7, newGraph).finish());
    } else parts.push(f.raw);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * Make `wanted` ("auto" = find the pooled features) a graph output when it is not one yet.
 * Returns the model to load and the name of the features output.
 */
export function exposeFeatures(model: Uint8Array, wanted: string): { onnx: Uint8Array; output: string; cut: boolean } {
  const g = summariseGraph(model);
  const name = wanted === "auto" ? findPooledTensor(g) : wanted;
  if (!name) throw new Error('output.name is "auto" but the model has no GlobalAveragePool and no Gemm/MatMul classifier to cut before');
  if (g.outputs.includes(name)) return { onnx: model, output: name, cut: false };
  if (!g.nodes.some((n) => n.outputs.includes(name))) {
    throw new Error(`output.name "${name}" is neither an output of the model (${g.outputs.join(", ")}) nor a tensor inside it`);
  }
  return { onnx: addGraphOutput(model, name), output: name, cut: true };
}
