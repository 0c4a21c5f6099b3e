#!/usr/bin/env node
// Runs every fixture listed in DIR/index.json in ONNX Runtime and compares with NAME.output.bin.
// Debian has no onnxruntime package; the npm package onnxruntime-node ships the CPU library:
//   mkdir -p /tmp/ort && cd /tmp/ort && npm install --ignore-scripts onnxruntime-node@1.22.0
// (not 1.19-1.20: their Pad+AveragePool fusion ignores count_include_pad, onnxruntime issue #22177, and
// gives wrong results for avgpool_include_pad; fixed in 1.21). Each model runs twice, with ONNX Runtime's
// default graph optimizations and with them disabled; both must match.
//   NODE_PATH=/tmp/ort/node_modules node docs/onnx/verify-ort.cjs src/test/resources/onnx [--json]
// Exit status 0 when every fixture behaves as its NAME.json "expect" says, 1 otherwise.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function ortVersion() {
  for (const dir of (process.env.NODE_PATH || '').split(path.delimiter).concat(module.paths)) {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, 'onnxruntime-node', 'package.json'))).version;
    } catch (e) { /* next */ }
  }
  return 'unknown';
}

function readF32(file) {
  const b = fs.readFileSync(file);
  const copy = new Uint8Array(b); // aligned copy
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

async function run(file, meta, x, want, graphOptimizationLevel) {
  const session = await ort.InferenceSession.create(file, { graphOptimizationLevel });
  const out = await session.run({ [meta.input.name]: new ort.Tensor('float32', x, meta.input.shape) });
  const got = out[meta.output.name];
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got.data[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  const shape = Array.from(got.dims, Number);
  const ok = JSON.stringify(shape) === JSON.stringify(meta.output.shape) && got.data.length === want.length &&
    diff <= (meta.tolerance || 1e-4) * scale;
  return { shape, diff: Number(diff.toPrecision(3)), ok };
}

async function check(dir, meta) {
  const r = { name: meta.name, expect: meta.expect };
  const file = path.join(dir, meta.file);
  try {
    await ort.InferenceSession.create(file);
  } catch (e) {
    r.loads = false;
    // drop the absolute path and any C++ "file.cc:NN fn(args...)" location, keep the message
    r.error = String(e.message || e).split('\n')[0].split(file).join(meta.file)
      .replace(/failed:\/\S+:\d+ .*\) /, 'failed: ').slice(0, 200);
    r.ok = !meta.input; // only the corrupt files may fail to load
    return r;
  }
  r.loads = true;
  if (!meta.input) {
    r.ok = false;
    r.error = 'a corrupt file loaded';
    return r;
  }
  const x = readF32(path.join(dir, meta.input.file));
  const want = readF32(path.join(dir, meta.output.file));
  const opt = await run(file, meta, x, want, 'all');
  const noOpt = await run(file, meta, x, want, 'disabled');
  r.output_shape = opt.shape;
  r.max_abs_diff = opt.diff;
  r.max_abs_diff_optimizations_disabled = noOpt.diff;
  r.ok = opt.ok && noOpt.ok;
  return r;
}

async function main() {
  const dir = process.argv[2];
  const asJson = process.argv.includes('--json');
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json')));
  const results = [];
  for (const f of index.fixtures) {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, f.name + '.json')));
    results.push(await check(dir, meta));
  }
  const version = ortVersion();
  if (asJson) {
    process.stdout.write(JSON.stringify({ version, results }, null, 2) + '\n');
  } else {
    console.log('onnxruntime-node ' + version);
    for (const r of results) {
      console.log((r.ok ? 'ok   ' : 'FAIL ') + r.name.padEnd(28) +
        (r.loads ? 'max_abs_diff ' + r.max_abs_diff + ' (no graph optimizations: ' +
          r.max_abs_diff_optimizations_disabled + ')' : 'load error: ' + r.error));
    }
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
