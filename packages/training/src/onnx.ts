import { ProtoWriter } from "./protobuf";

/** A tiny builder for ONNX ModelProto (IR version 8, default opset 13). */

export type AttributeValue =
  | { kind: "int"; value: number }
  | { kind: "ints"; value: readonly number[] }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface OnnxValueInfo {
  name: string;
  /** -1 (or a string) for symbolic dimensions such as the batch. */
  dims: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

const TENSOR_FLOAT = 1;
const TENSOR_INT64 = 7;
// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

export const attr = {
  int: (value: number): AttributeValue => ({ kind: "int", value }),
  ints: (value: readonly number[]): AttributeValue => ({ kind: "ints", value }),
  float: (value: number): AttributeValue => ({ kind: "float", value }),
  string: (value: string): AttributeValue => ({ kind: "string", value }),
};

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  w.string(1, name);
  switch (a.kind) {
    case "float":
      w.float(2, a.value).int(20, ATTR_FLOAT);
      break;
    case "int":
      w.int(3, a.value).int(20, ATTR_INT);
      break;
    case "string":
      w.bytes(4, new TextEncoder().encode(a.value)).int(20, ATTR_STRING);
      break;
    case "ints":
      w.packedInts(8, a.value).int(20, ATTR_INTS);
      break;
  }
}

function writeTensor(w: ProtoWriter, t: OnnxInitializer): void {
  w.packedInts(1, t.dims);
  w.int(2, t.data instanceof Float32Array ? TENSOR_FLOAT : TENSOR_INT64);
  w.string(8, t.name);
  // raw_data is little-endian, which is also every platform Node runs on here.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, TENSOR_FLOAT);
      tensorType.message(2, (shape) => {
        for (const d of v.dims) {
          shape.message(1, (dim) => {
            if (typeof d === "number" && d >= 0) dim.int(1, d);
            else dim.string(2, typeof d === "string" ? d : "N");
          });
        }
      });
    }),
  );
}

export function encodeModel(graph: OnnxGraph, opts: { producer: string; opset?: number }): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version
  w.string(2, opts.producer);
  w.string(3, "1");
  w.message(7, (g) => {
    for (const n of graph.nodes) {
      g.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(3, n.name);
        node.string(4, n.op);
        for (const [k, v] of Object.entries(n.attributes ?? {})) node.message(5, (a) => writeAttribute(a, k, v));
      });
    }
    g.string(2, graph.name);
    for (const t of graph.initializers) g.message(5, (tw) => writeTensor(tw, t));
    for (const i of graph.inputs) g.message(11, (vw) => writeValueInfo(vw, i));
    for (const o of graph.outputs) g.message(12, (vw) => writeValueInfo(vw, o));
  });
  w.message(8, (op) => op.string(1, "").int(2, opts.opset ?? 13));
  return w.finish();
}
