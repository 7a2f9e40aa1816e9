// Runs onnxruntime in a worker thread: InferenceSession.run is synchronous in
// onnxruntime-node and would otherwise block the event loop that feeds the image decoders.
import { parentPort } from "node:worker_threads";
import * as ort from "onnxruntime-node";

let session;
// The model's own names: { input, outputs: { features: "...", output: "..." } }.
let io = { input: "input", outputs: {} };

const describe = (m) => ({ name: m.name, shape: m.isTensor ? m.shape : undefined });

parentPort.on("message", async (msg) => {
  if (msg.type === "init") {
    try {
      session = await ort.InferenceSession.create(msg.onnx, msg.options);
      if (msg.io) io = msg.io;
      const info = {
        inputs: (session.inputMetadata ?? session.inputNames.map((name) => ({ name }))).map(describe),
        outputs: (session.outputMetadata ?? session.outputNames.map((name) => ({ name }))).map(describe),
      };
      parentPort.postMessage({ id: msg.id, ok: true, info });
    } catch (e) {
      parentPort.postMessage({ id: msg.id, error: String(e && e.message ? e.message : e) });
    }
    return;
  }
  if (msg.type === "run") {
    try {
      const real = msg.outputs.map((name) => io.outputs[name] ?? name);
      const result = await session.run({ [io.input]: new ort.Tensor("float32", msg.input, msg.dims) }, real);
      const outputs = {};
      const transfer = [];
      for (const [k, name] of msg.outputs.entries()) {
        const data = result[real[k]].data;
        outputs[name] = data;
        transfer.push(data.buffer);
      }
      parentPort.postMessage({ id: msg.id, outputs }, transfer);
    } catch (e) {
      parentPort.postMessage({ id: msg.id, error: String(e && e.message ? e.message : e) });
    }
  }
});
