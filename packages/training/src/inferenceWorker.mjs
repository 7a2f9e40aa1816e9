// Runs onnxruntime in a worker thread: InferenceSession.run is synchronous in
// onnxruntime-node and would otherwise block the event loop that feeds the image decoders.
import { parentPort } from "node:worker_threads";
import * as ort from "onnxruntime-node";

let session;

parentPort.on("message", async (msg) => {
  if (msg.type === "init") {
    try {
      session = await ort.InferenceSession.create(msg.onnx, msg.options);
      parentPort.postMessage({ id: msg.id, ok: true });
    } catch (e) {
      parentPort.postMessage({ id: msg.id, error: String(e && e.message ? e.message : e) });
    }
    return;
  }
  if (msg.type === "run") {
    try {
      const result = await session.run({ input: new ort.Tensor("float32", msg.input, msg.dims) }, msg.outputs);
      const outputs = {};
      const transfer = [];
      for (const name of msg.outputs) {
        const data = result[name].data;
        outputs[name] = data;
        transfer.push(data.buffer);
      }
      parentPort.postMessage({ id: msg.id, outputs }, transfer);
    } catch (e) {
      parentPort.postMessage({ id: msg.id, error: String(e && e.message ? e.message : e) });
    }
  }
});
