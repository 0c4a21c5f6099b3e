#!/usr/bin/env python3
"""Make ONNX test fixtures for the Java ONNX importer (issue 14, "ONNX in, pruned ONNX out").

Writes one small model per op pattern into src/test/resources/onnx/ (or --out), each with a
deterministic reference:

    NAME.onnx         the model
    NAME.input.bin    batch-2 input, little-endian float32, raw, C order
    NAME.output.bin   the reference output for that input, same encoding
    NAME.json         shapes, opset, op types, how it was built and checked, what the importer should do

and an index.json listing all of them. With --large DIR it also exports torchvision resnet18 and
mobilenet_v2 (10 classes, 3x32x32, BN folded and BN kept) for benchmarks, and with --zoo DIR it tries
more torchvision classifiers and writes DIR/zoo.json. Every model is exported from random weights
(fixed seeds); nothing is downloaded.

Needs Debian's packages (torch 1.13, torchvision 0.14, onnx 1.12, numpy):
    apt-get install -y python3-torch python3-torchvision python3-onnx python3-numpy
    nice -n 19 /usr/bin/python3 docs/onnx/make-fixtures.py [--out DIR] [--large DIR] [--zoo DIR]
                                                          [--ort-node-modules DIR]

References: torch (eval mode) for exported models; for models built with onnx.helper or edited
protobufs, the small numpy ONNX evaluator below (onnx 1.12 has no onnx.reference). Every fixture is
also run through that numpy evaluator and, where an equivalent exists, through torch, and the larger
of the differences is stored in NAME.json. Debian has no onnxruntime package; with
--ort-node-modules DIR (a node_modules folder holding the npm package onnxruntime-node) each fixture is
also run in ONNX Runtime through docs/onnx/verify-ort.cjs and the result is stored in NAME.json.
"""

import argparse
import collections
import io
import json
import os
import struct
import subprocess
import sys
import warnings
import zlib

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from onnx import TensorProto, helper, numpy_helper

warnings.filterwarnings("ignore")
torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "src", "test", "resources", "onnx")
BATCH = 2
TOL = 1e-4  # suggested abs+rel tolerance for comparing against NAME.output.bin


# ---------------------------------------------------------------------------------------------
# A small numpy ONNX evaluator (float math in float64), used to check every fixture independently
# of torch and to compute the references of graphs built by hand.
# ---------------------------------------------------------------------------------------------

_NP_OF_ONNX = {
    TensorProto.FLOAT: np.float32, TensorProto.DOUBLE: np.float64, TensorProto.FLOAT16: np.float16,
    TensorProto.INT64: np.int64, TensorProto.INT32: np.int32, TensorProto.INT8: np.int8,
    TensorProto.UINT8: np.uint8, TensorProto.BOOL: np.bool_,
}


def _compute(a):
    a = np.asarray(a)
    return a.astype(np.float64) if a.dtype.kind == "f" else a


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, strides, pads, dilations, group):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    sh, sw = strides
    dh, dw = dilations
    pt, pl, pb, pr = pads
    x = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    ho = (h + pt + pb - dh * (kh - 1) - 1) // sh + 1
    wo = (wd + pl + pr - dw * (kw - 1) - 1) // sw + 1
    mg = m // group
    out = np.zeros((n, m, ho, wo))
    for g in range(group):
        xg = x[:, g * cg:(g + 1) * cg]
        wg = w[g * mg:(g + 1) * mg]
        for i in range(kh):
            for j in range(kw):
                patch = xg[:, :, i * dh:i * dh + sh * (ho - 1) + 1:sh, j * dw:j * dw + sw * (wo - 1) + 1:sw]
                out[:, g * mg:(g + 1) * mg] += np.einsum("nchw,mc->nmhw", patch, wg[:, :, i, j])
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def _pool(x, kind, kernel, strides, pads, dilations, ceil_mode, count_include_pad):
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (dh, dw) = kernel, strides, dilations
    pt, pl, pb, pr = pads

    def size(length, k, s, d, p0, p1):
        num = length + p0 + p1 - (d * (k - 1) + 1)
        if ceil_mode:
            o = -(-num // s) + 1
            if (o - 1) * s >= length + p0:  # last window must start inside input + leading pad
                o -= 1
            return o
        return num // s + 1

    ho, wo = size(h, kh, sh, dh, pt, pb), size(w, kw, sw, dw, pl, pr)
    eh = max(0, (ho - 1) * sh + dh * (kh - 1) + 1 - (h + pt + pb))
    ew = max(0, (wo - 1) * sw + dw * (kw - 1) + 1 - (w + pl + pr))
    shape = (n, c, h + pt + pb + eh, w + pl + pr + ew)
    xp = np.full(shape, -np.inf if kind == "max" else 0.0)
    xp[:, :, pt:pt + h, pl:pl + w] = x
    valid = np.zeros(shape[2:])
    if count_include_pad:
        valid[:h + pt + pb, :w + pl + pr] = 1
    else:
        valid[pt:pt + h, pl:pl + w] = 1
    acc = np.full((n, c, ho, wo), -np.inf) if kind == "max" else np.zeros((n, c, ho, wo))
    cnt = np.zeros((ho, wo))
    for i in range(kh):
        for j in range(kw):
            hs = slice(i * dh, i * dh + sh * (ho - 1) + 1, sh)
            ws = slice(j * dw, j * dw + sw * (wo - 1) + 1, sw)
            if kind == "max":
                acc = np.maximum(acc, xp[:, :, hs, ws])
            else:
                acc += xp[:, :, hs, ws]
                cnt += valid[hs, ws]
    return acc if kind == "max" else acc / cnt


def _pool_attrs(a, spatial=2):
    k = a["kernel_shape"]
    return dict(kernel=k, strides=a.get("strides", [1] * spatial), pads=a.get("pads", [0] * 2 * spatial),
                dilations=a.get("dilations", [1] * spatial), ceil_mode=a.get("ceil_mode", 0))


class NumpyOnnx:
    """Runs the subset of ONNX (opsets 10-17) that the fixtures and torchvision CNNs use."""

    def __init__(self, model):
        self.model = model
        self.opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))

    def run(self, feeds):
        g = self.model.graph
        env = {t.name: _compute(numpy_helper.to_array(t)) for t in g.initializer}
        env.update({k: _compute(v) for k, v in feeds.items()})
        for node in g.node:
            ins = [env[i] if i else None for i in node.input]
            outs = self.op(node, ins, _attrs(node))
            for name, val in zip(node.output, outs):
                if name:
                    env[name] = val
        return [env[o.name] for o in g.output]

    def op(self, node, x, a):  # noqa: C901 - one switch is the clearest form here
        t, v = node.op_type, self.opset
        if t == "Conv":
            if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                raise NotImplementedError("Conv auto_pad")
            if x[1].ndim != 4:
                raise NotImplementedError("Conv of rank %d" % x[1].ndim)
            return [_conv(x[0], x[1], x[2] if len(x) > 2 else None, a.get("strides", [1, 1]),
                          a.get("pads", [0, 0, 0, 0]), a.get("dilations", [1, 1]), a.get("group", 1))]
        if t == "BatchNormalization":
            if a.get("training_mode", 0):
                raise NotImplementedError("BatchNormalization training_mode=1")
            xx, s, bb, mean, var = x[:5]
            sh = (1, -1) + (1,) * (xx.ndim - 2)
            return [(xx - mean.reshape(sh)) / np.sqrt(var.reshape(sh) + a.get("epsilon", 1e-5)) * s.reshape(sh)
                    + bb.reshape(sh)]
        if t == "Relu":
            return [np.maximum(x[0], 0)]
        if t == "Clip":
            if v < 11:
                lo, hi = a.get("min", -np.inf), a.get("max", np.inf)
            else:
                lo = x[1] if len(x) > 1 and x[1] is not None else -np.inf
                hi = x[2] if len(x) > 2 and x[2] is not None else np.inf
            return [np.minimum(np.maximum(x[0], lo), hi)]
        if t == "Sigmoid":
            return [1 / (1 + np.exp(-x[0]))]
        if t == "HardSigmoid":
            return [np.clip(a.get("alpha", 0.2) * x[0] + a.get("beta", 0.5), 0, 1)]
        if t == "HardSwish":
            return [x[0] * np.clip(x[0] / 6 + 0.5, 0, 1)]
        if t in ("Add", "Sub", "Mul", "Div"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[t]
            r = f(x[0], x[1])
            return [r if x[0].dtype.kind == "f" or t != "Div" else x[0] // x[1]]
        if t == "Gemm":
            A = x[0].T if a.get("transA", 0) else x[0]
            B = x[1].T if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + a.get("beta", 1.0) * x[2]
            return [y]
        if t == "MatMul":
            return [np.matmul(x[0], x[1])]
        if t == "Flatten":
            ax = a.get("axis", 1) % max(x[0].ndim, 1) if a.get("axis", 1) < 0 else a.get("axis", 1)
            return [x[0].reshape(int(np.prod(x[0].shape[:ax])), -1)]
        if t == "Reshape":
            shape = [int(s) for s in x[1]]
            if not a.get("allowzero", 0):
                shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            return [x[0].reshape(shape)]
        if t == "Shape":
            return [np.array(x[0].shape, dtype=np.int64)]
        if t == "Gather":
            return [np.take(x[0], x[1], axis=a.get("axis", 0))]
        if t in ("Unsqueeze", "Squeeze"):
            axes = a.get("axes") if v < 13 else (None if len(x) < 2 or x[1] is None else [int(i) for i in x[1]])
            if t == "Squeeze":
                return [np.squeeze(x[0], axis=None if axes is None else tuple(axes))]
            r = x[0]
            rank = r.ndim + len(axes)
            for ax in sorted(i % rank for i in axes):
                r = np.expand_dims(r, ax)
            return [r]
        if t == "Concat":
            return [np.concatenate(x, axis=a["axis"])]
        if t == "MaxPool":
            if len(node.output) > 1 and node.output[1]:
                raise NotImplementedError("MaxPool indices")
            return [_pool(x[0], "max", count_include_pad=0, **_pool_attrs(a))]
        if t == "AveragePool":
            return [_pool(x[0], "avg", count_include_pad=a.get("count_include_pad", 0), **_pool_attrs(a))]
        if t == "GlobalAveragePool":
            return [x[0].mean(axis=tuple(range(2, x[0].ndim)), keepdims=True)]
        if t == "ReduceMean":
            axes = a.get("axes") if v < 18 else (None if len(x) < 2 or x[1] is None else list(x[1]))
            return [x[0].mean(axis=None if axes is None else tuple(axes), keepdims=bool(a.get("keepdims", 1)))]
        if t == "Pad":
            mode = a.get("mode", b"constant")
            if mode not in (b"constant", "constant"):
                raise NotImplementedError("Pad mode " + str(mode))
            if v < 11:
                pads, value = a["pads"], a.get("value", 0.0)
            else:
                pads = [int(p) for p in x[1]]
                value = float(x[2]) if len(x) > 2 and x[2] is not None and x[2].size else 0.0
            r = len(pads) // 2
            pos = [max(p, 0) for p in pads]
            y = np.pad(x[0], [(pos[i], pos[i + r]) for i in range(r)], constant_values=value)
            crop = tuple(slice(-min(pads[i], 0), y.shape[i] + min(pads[i + r], 0)) for i in range(r))
            return [y[crop]]
        if t == "Dropout":
            if v >= 12 and len(x) > 2 and x[2] is not None and bool(x[2]):
                raise NotImplementedError("Dropout training_mode=True")
            return [x[0], np.ones(x[0].shape, dtype=np.bool_)]
        if t == "Identity":
            return [x[0]]
        if t == "Constant":
            if "value" in a:
                return [_compute(numpy_helper.to_array(a["value"]))]
            for key, cast in (("value_float", np.float64), ("value_int", np.int64)):
                if key in a:
                    return [np.array(a[key], dtype=cast)]
            for key, cast in (("value_floats", np.float64), ("value_ints", np.int64)):
                if key in a:
                    return [np.array(list(a[key]), dtype=cast)]
            raise NotImplementedError("Constant form")
        if t == "ConstantOfShape":
            val = _compute(numpy_helper.to_array(a["value"])) if "value" in a else np.zeros(1)
            return [np.full([int(s) for s in x[0]], val.reshape(-1)[0], dtype=val.dtype)]
        if t == "Cast":
            to = _NP_OF_ONNX[a["to"]]
            return [_compute(np.asarray(x[0]).astype(to))]
        if t == "Transpose":
            return [np.transpose(x[0], a.get("perm"))]
        if t == "Slice":
            data, starts, ends = x[0], x[1], x[2]
            axes = x[3] if len(x) > 3 and x[3] is not None else range(len(starts))
            steps = x[4] if len(x) > 4 and x[4] is not None else [1] * len(starts)
            sl = [slice(None)] * data.ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(e), int(st))
            return [data[tuple(sl)]]
        if t == "Split":
            ax = a.get("axis", 0)
            split = a.get("split") if v < 13 else (None if len(x) < 2 or x[1] is None else list(x[1]))
            if split is None:
                split = [x[0].shape[ax] // len(node.output)] * len(node.output)
            return np.split(x[0], np.cumsum(split)[:-1], axis=ax)
        if t == "Softmax":
            e = np.exp(x[0] - x[0].max(axis=a.get("axis", -1), keepdims=True))
            return [e / e.sum(axis=a.get("axis", -1), keepdims=True)]
        raise NotImplementedError("op " + t)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def seed_of(name):
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def make_input(name, shape):
    rng = np.random.default_rng(seed_of(name + ".input"))
    return rng.standard_normal((BATCH,) + tuple(shape)).astype(np.float32)


def randomize_bn(model, seed):
    """Non-trivial BN statistics, so that a kept BN and a folded BN differ from identity."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5, generator=g)
                m.bias.normal_(0.0, 0.1, generator=g)
                m.running_mean.normal_(0.0, 0.1, generator=g)
                m.running_var.uniform_(0.5, 1.5, generator=g)
    return model


def torch_export(model, x, opset=13, training=torch.onnx.TrainingMode.EVAL, dynamic=True):
    model.eval()
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, torch.from_numpy(x), buf, opset_version=opset, training=training,
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}} if dynamic else None)
    return buf.getvalue()


def torch_run(model, x):
    model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy().astype(np.float32)


def numpy_run(model_bytes, x):
    m = onnx.load_from_string(model_bytes)
    return NumpyOnnx(m).run({m.graph.input[0].name: x})[0]


def max_diff(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise AssertionError("shape %s vs %s" % (a.shape, b.shape))
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def dims(value_info):
    return [d.dim_param if d.dim_param else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def mk_model(nodes, inits, in_shape, out_shape, opset=13, name="graph", in_dtype=TensorProto.FLOAT):
    g = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", in_dtype, ["batch"] + list(in_shape))],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch"] + list(out_shape))],
        initializer=[numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    m = helper.make_model(g, producer_name="otprune-make-fixtures", opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7 if opset >= 12 else 6  # what torch 1.13 writes for opset 13 / 11
    if opset <= 10:
        m.ir_version = 5
    return m.SerializeToString()


def rand(rng, *shape, scale=None):
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
    s = scale if scale is not None else 1.0 / np.sqrt(fan_in)
    return rng.uniform(-s, s, size=shape).astype(np.float32)


def conv_node(inp, out, w, b, **attrs):
    return helper.make_node("Conv", [inp, w, b], [out], **attrs)


def attr_summary(model):
    """Per op type: count, the distinct attribute sets, and what feeds each input position."""
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    consts = {}
    for n in g.node:
        if n.op_type == "Constant":
            consts[n.output[0]] = numpy_helper.to_array(_attrs(n)["value"]) if "value" in _attrs(n) else None
    graph_inputs = {i.name for i in g.input}
    summary = collections.OrderedDict()
    for n in g.node:
        s = summary.setdefault(n.op_type, {"count": 0, "attributes": collections.Counter(), "inputs": {}})
        s["count"] += 1
        attrs = {}
        for k, val in _attrs(n).items():
            if isinstance(val, onnx.TensorProto):
                arr = numpy_helper.to_array(val)
                val = "tensor %s %s" % (onnx.TensorProto.DataType.Name(val.data_type), arr.reshape(-1)[:4].tolist())
            elif isinstance(val, bytes):
                val = val.decode()
            elif isinstance(val, float):
                val = float(np.float32(val))
            elif isinstance(val, list):
                val = [v.decode() if isinstance(v, bytes) else v for v in val]
            attrs[k] = val
        s["attributes"][json.dumps(attrs, sort_keys=True)] += 1
        for pos, name in enumerate(n.input):
            if not name:
                kind = "absent"
            elif name in inits:
                t = inits[name]
                arr = numpy_helper.to_array(t)
                kind = "initializer %s %s" % (onnx.TensorProto.DataType.Name(t.data_type), list(arr.shape))
                if arr.size <= 4:
                    kind += " = %s" % arr.reshape(-1).tolist()
            elif name in consts:
                arr = consts[name]
                kind = "Constant node" + ("" if arr is None else " %s = %s" % (
                    list(arr.shape), arr.reshape(-1).tolist() if arr.size <= 4 else "..."))
            elif name in graph_inputs:
                kind = "graph input"
            else:
                kind = "activation"
            s["inputs"].setdefault(str(pos), collections.Counter())[kind] += 1
    out = {}
    for op, s in summary.items():
        out[op] = {"count": s["count"],
                   "attributes": [{"attrs": json.loads(k), "count": c} for k, c in s["attributes"].items()],
                   "inputs": {p: dict(c) for p, c in s["inputs"].items()}}
    return out


# ---------------------------------------------------------------------------------------------
# Torch models for the fixtures
# ---------------------------------------------------------------------------------------------

class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def cbr(cin, cout, k=3, **kw):
    return [nn.Conv2d(cin, cout, k, **kw), nn.BatchNorm2d(cout), nn.ReLU()]


def act_model(act):
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), act, nn.Conv2d(8, 4, 1))


class SE(nn.Module):
    """Squeeze-and-excitation with 1x1 convs (GlobalAveragePool) and a sigmoid gate."""

    def __init__(self, c, r):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1, self.fc2 = nn.Conv2d(c, r, 1), nn.Conv2d(r, c, 1)

    def forward(self, x):
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(self.pool(x)))))
        return x * s


class SELinear(nn.Module):
    """Squeeze-and-excitation with mean over H,W (ReduceMean keepdims=0), Linear layers, Unsqueeze back."""

    def __init__(self, c, r):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(c, r), nn.Linear(r, c)

    def forward(self, x):
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean((2, 3))))))
        return x * s[:, :, None, None]


def se_model(se):
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), se, nn.Conv2d(16, 4, 1))


class Branches(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU())
        self.a = nn.Sequential(nn.Conv2d(8, 4, 1), nn.ReLU())
        self.b = nn.Sequential(nn.Conv2d(8, 6, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(10, 4, 1)

    def forward(self, x):
        x = self.stem(x)
        return self.head(torch.cat([self.a(x), self.b(x)], dim=1))


def residual_model(projection):
    from torchvision.models.resnet import BasicBlock
    if projection:
        down = nn.Sequential(nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16))
        block = BasicBlock(8, 16, stride=2, downsample=down)
    else:
        block = BasicBlock(8, 8)
    cout = 16 if projection else 8
    return nn.Sequential(*cbr(3, 8, padding=1, bias=False), block, nn.Conv2d(cout, 4, 1))


def shared_initializer_model():
    m = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(8, 4, 1))
    with torch.no_grad():
        m[0].bias.zero_()
        m[2].bias.zero_()
    return m


def conv_bn_relu_model():
    return nn.Sequential(*cbr(3, 8, padding=1), nn.Conv2d(8, 4, 1))


IMG = (3, 16, 16)
MNIST = (1, 28, 28)
TRAIN_PRESERVE = torch.onnx.TrainingMode.PRESERVE

# name: (model factory, input shape, opset, export mode, notes)
TORCH_FIXTURES = collections.OrderedDict([
    ("conv_bn_relu", (conv_bn_relu_model, IMG, 13, "bn_kept",
                      "BatchNormalization kept with eval semantics: exported with training=TrainingMode.PRESERVE "
                      "from a model in eval mode (TrainingMode.TRAINING writes BN with 5 outputs = training "
                      "semantics; do_constant_folding=False does not stop torch's Conv+BN fusion). Same weights "
                      "and input as conv_folded, so the same output.")),
    ("conv_bn_relu_opset11", (conv_bn_relu_model, IMG, 11, "bn_kept", "conv_bn_relu at opset 11")),
    ("conv_bn_relu_opset17", (conv_bn_relu_model, IMG, 17, "bn_kept",
                              "conv_bn_relu at opset 17 (BatchNormalization-15 with training_mode=0)")),
    ("conv_folded", (conv_bn_relu_model, IMG, 13, "eval", "conv_bn_relu exported in eval mode: BN folded into Conv")),
    ("depthwise_separable", (lambda: nn.Sequential(*cbr(3, 8, padding=1), *cbr(8, 8, padding=1, groups=8),
                                                   *cbr(8, 16, k=1)), IMG, 13, "eval",
                             "3x3 depthwise conv (group = channels = 8) then 1x1 pointwise; BN folded")),
    ("grouped_conv", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                            nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.ReLU(), nn.Conv2d(8, 4, 1)),
                      IMG, 13, "eval", "Conv with group=2")),
    ("dilated_conv", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=2, dilation=2), nn.ReLU(),
                                            nn.Conv2d(8, 4, 3, padding=1)), IMG, 13, "eval",
                      "Conv with dilations=[2,2], pads=[2,2,2,2]")),
    ("strided_conv", (lambda: nn.Sequential(nn.Conv2d(3, 8, (3, 1), stride=2, padding=(1, 0)), nn.ReLU(),
                                            nn.Conv2d(8, 4, (1, 3), stride=(1, 2), padding=(0, 1))), IMG, 13, "eval",
                      "kernel 3x1 stride 2 pads [1,0,1,0], then kernel 1x3 stride [1,2] pads [0,1,0,1]")),
    ("gemm", (lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 10)), MNIST, 13,
              "eval", "nn.Flatten -> Flatten(axis=1); nn.Linear on 2-D input -> Gemm(transB=1)")),
    ("reshape_flatten", (lambda: nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),
                                               Lambda(lambda x: x.view(x.size(0), -1)), nn.Linear(784, 10)),
                         MNIST, 13, "eval",
                         "x.view(x.size(0), -1): torch writes Shape -> Gather -> Unsqueeze -> Concat -> Reshape")),
    ("reshape_flatten_static", (lambda: nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),
                                                      Lambda(lambda x: x.reshape(-1, 784)), nn.Linear(784, 10)),
                                MNIST, 13, "eval", "x.reshape(-1, 784): Reshape with a Constant shape [-1, 784]")),
    ("relu6", (lambda: act_model(nn.ReLU6()), IMG, 13, "eval",
               "nn.ReLU6 -> Clip(x, min, max) with min/max from Constant nodes (opset 11+ form)")),
    ("sigmoid", (lambda: act_model(nn.Sigmoid()), IMG, 13, "eval", "nn.Sigmoid")),
    ("hardsigmoid", (lambda: act_model(nn.Hardsigmoid()), IMG, 13, "eval",
                     "nn.Hardsigmoid -> HardSigmoid(alpha=1/6, beta default 0.5)")),
    ("hardswish", (lambda: act_model(nn.Hardswish()), IMG, 14, "eval", "nn.Hardswish at opset 14 -> HardSwish")),
    ("hardswish_opset13", (lambda: act_model(nn.Hardswish()), IMG, 13, "eval",
                           "nn.Hardswish at opset 13 -> x * HardSigmoid(x) (alpha=1/6)")),
    ("silu", (lambda: act_model(nn.SiLU()), IMG, 13, "eval", "nn.SiLU -> x * Sigmoid(x)")),
    ("se_block", (lambda: se_model(SE(16, 4)), IMG, 13, "eval",
                  "SE: GlobalAveragePool -> 1x1 Conv -> Relu -> 1x1 Conv -> Sigmoid -> Mul with the feature map")),
    ("se_block_hardsigmoid", (lambda: se_model(torchvision.ops.SqueezeExcitation(16, 4,
                                                                                 scale_activation=nn.Hardsigmoid)),
                              IMG, 13, "eval",
                              "torchvision.ops.SqueezeExcitation as in mobilenet_v3: GlobalAveragePool -> Conv -> "
                              "Relu -> Conv -> HardSigmoid -> Mul")),
    ("se_block_linear", (lambda: se_model(SELinear(16, 4)), IMG, 13, "eval",
                         "SE: ReduceMean(axes=[2,3], keepdims=0) -> Gemm -> Relu -> Gemm -> Sigmoid -> "
                         "Unsqueeze x2 -> Mul")),
    ("reduce_mean_hw_keepdims1", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                                        Lambda(lambda x: x.mean((2, 3), keepdim=True)),
                                                        nn.Conv2d(8, 10, 1), nn.Flatten()), IMG, 13, "eval",
                                  "ReduceMean(axes=[2,3], keepdims=1) -> 1x1 Conv -> Flatten")),
    ("reduce_mean_hw_keepdims0", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                                        Lambda(lambda x: x.mean((2, 3))), nn.Linear(8, 10)),
                                  IMG, 13, "eval", "ReduceMean(axes=[2,3], keepdims=0) -> Gemm")),
    ("concat", (Branches, IMG, 13, "eval", "two conv branches (1x1: 4 ch, 3x3: 6 ch) -> Concat(axis=1) -> 1x1 Conv")),
    ("residual_add", (lambda: residual_model(False), IMG, 13, "eval",
                      "torchvision BasicBlock(8, 8) with identity shortcut: Add of two activations; BN folded")),
    ("residual_add_projection", (lambda: residual_model(True), IMG, 13, "eval",
                                 "BasicBlock(8, 16, stride 2) with 1x1 stride-2 projection shortcut; BN folded")),
    ("maxpool", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
                                       nn.Conv2d(8, 4, 1)), IMG, 13, "eval", "MaxPool k3 s2 pads 1 (resnet stem)")),
    ("maxpool_ceil", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                            nn.MaxPool2d(3, 2, ceil_mode=True), nn.Conv2d(8, 4, 1)),
                      IMG, 13, "eval", "MaxPool k3 s2 ceil_mode=1 (squeezenet): 16 -> 8, not 7")),
    ("avgpool_exclude_pad", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                                   nn.AvgPool2d(3, 2, 1, count_include_pad=False),
                                                   nn.Conv2d(8, 4, 1)), IMG, 13, "eval",
                             "AvgPool2d(3, 2, 1, count_include_pad=False) -> AveragePool pads=[1,1,1,1], "
                             "count_include_pad absent (=0)")),
    ("avgpool_include_pad", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                                   nn.AvgPool2d(3, 2, 1, count_include_pad=True),
                                                   nn.Conv2d(8, 4, 1)), IMG, 13, "eval",
                             "AvgPool2d(3, 2, 1, count_include_pad=True): torch writes Pad(zeros) then "
                             "AveragePool pads=[0,0,0,0]; it never writes count_include_pad=1 "
                             "(see avgpool_include_pad_attr)")),
    ("global_avgpool", (lambda: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                              nn.Flatten(), nn.Linear(8, 10)), IMG, 13, "eval",
                        "AdaptiveAvgPool2d(1) -> GlobalAveragePool -> Flatten -> Gemm (classifier head)")),
    ("zero_pad_torch", (lambda: nn.Sequential(nn.ZeroPad2d((1, 2, 0, 1)), nn.Conv2d(3, 4, 3)), IMG, 13, "eval",
                        "nn.ZeroPad2d((1,2,0,1)) as torch 1.13 writes it at any opset: the pads input of Pad is "
                        "computed by a constant-only subgraph (ConstantOfShape, Concat, Reshape, Slice, "
                        "Transpose, Reshape, Cast). An importer needs constant folding for it; zero_pad is the "
                        "same model with the pads as an initializer.")),
    ("shared_initializer", (shared_initializer_model, IMG, 13, "eval",
                            "two Conv biases with equal values (zeros, as torchvision initialises squeezenet and "
                            "the mobilenet_v3 SE biases): torch 1.13 keeps ONE initializer and feeds the other "
                            "Conv through an Identity node on it, so a Conv bias input can be the output of "
                            "Identity(initializer)")),
    ("transpose", (lambda: nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), Lambda(lambda x: x.permute(0, 2, 3, 1)),
                                         nn.Linear(4, 10)), IMG, 13, "eval",
                   "refusal case: Conv -> Transpose(perm=[0,2,3,1]) -> MatMul + Add (nn.Linear on a 4-D input is "
                   "written as MatMul with a transposed weight initializer then Add, not Gemm)")),
])


CONV_BN_RELU_FAMILY = ("conv_bn_relu", "conv_bn_relu_opset11", "conv_bn_relu_opset17", "conv_folded")


def build_torch_fixture(name):
    factory, shape, opset, mode, notes = TORCH_FIXTURES[name]
    base = "conv_bn_relu" if name in CONV_BN_RELU_FAMILY else name
    torch.manual_seed(seed_of(base))
    model = randomize_bn(factory(), seed_of(base) + 1)
    x = make_input(base, shape)
    data = torch_export(model, x, opset, TRAIN_PRESERVE if mode == "bn_kept" else torch.onnx.TrainingMode.EVAL)
    return model, x, data, opset, notes


# ---------------------------------------------------------------------------------------------
# Graphs built with onnx.helper, and edited protobufs
# ---------------------------------------------------------------------------------------------

def helper_matmul_add():
    rng = np.random.default_rng(seed_of("matmul_add"))
    w1, b1, w2, b2 = rand(rng, 784, 16, scale=1 / 28), rand(rng, 16, scale=1 / 28), rand(rng, 16, 10, scale=.25), \
        rand(rng, 10, scale=.25)
    nodes = [helper.make_node("Flatten", ["input"], ["flat"], axis=1),
             helper.make_node("MatMul", ["flat", "fc1.weight"], ["mm1"]),
             helper.make_node("Add", ["mm1", "fc1.bias"], ["fc1"]),
             helper.make_node("Relu", ["fc1"], ["r1"]),
             helper.make_node("MatMul", ["r1", "fc2.weight"], ["mm2"]),
             helper.make_node("Add", ["mm2", "fc2.bias"], ["logits"])]
    data = mk_model(nodes, {"fc1.weight": w1, "fc1.bias": b1, "fc2.weight": w2, "fc2.bias": b2}, MNIST, [10])

    def ref(x):
        h = F.relu(torch.from_numpy(x).flatten(1) @ torch.from_numpy(w1) + torch.from_numpy(b1))
        return (h @ torch.from_numpy(w2) + torch.from_numpy(b2)).numpy()
    return data, MNIST, 13, ref, ("MatMul with a [784,16] weight initializer (in x out, not transposed) then Add "
                                  "of a [16] bias initializer; the pattern torch writes for nn.Linear on inputs "
                                  "of rank != 2 and other exporters write for dense layers")


def _conv_act_conv(name, mid, opset, notes, torch_mid):
    rng = np.random.default_rng(seed_of(name))
    w1, b1, w2, b2 = rand(rng, 8, 3, 3, 3), rand(rng, 8, scale=.3), rand(rng, 4, 8, 1, 1), rand(rng, 4, scale=.3)
    inits = {"conv1.weight": w1, "conv1.bias": b1, "conv2.weight": w2, "conv2.bias": b2}
    mid_nodes, mid_out, extra = mid
    inits.update(extra)
    nodes = [conv_node("input", "c1", "conv1.weight", "conv1.bias", kernel_shape=[3, 3], pads=[1, 1, 1, 1])] + \
        mid_nodes + [conv_node(mid_out, "logits", "conv2.weight", "conv2.bias", kernel_shape=[1, 1])]
    data = mk_model(nodes, inits, IMG, [4, 16, 16], opset=opset)

    def ref(x):
        t = F.conv2d(torch.from_numpy(x), torch.from_numpy(w1), torch.from_numpy(b1), padding=1)
        return F.conv2d(torch_mid(t), torch.from_numpy(w2), torch.from_numpy(b2)).numpy()
    return data, IMG, opset, ref, notes


def helper_clip_attr_opset10():
    mid = ([helper.make_node("Clip", ["c1"], ["clip"], min=0.0, max=6.0)], "clip", {})
    return _conv_act_conv("clip_attr_opset10", mid, 10,
                          "Clip with min/max ATTRIBUTES (Clip-6), which only exists below opset 11, so this model "
                          "is opset 10 (IR 5), outside 11-17: expect a clear refusal if only 11-17 is supported",
                          lambda t: t.clamp(0, 6))


def helper_dropout_identity():
    mid = ([helper.make_node("Dropout", ["c1", "dropout.ratio"], ["d"]),
            helper.make_node("Identity", ["d"], ["id"]),
            helper.make_node("Relu", ["id"], ["r"])], "r", {"dropout.ratio": np.array(0.5, np.float32)})
    return _conv_act_conv("dropout_identity", mid, 13,
                          "Dropout-13 (ratio 0.5 as an initializer input, no training_mode input = inference, so "
                          "identity) and Identity, built with onnx.helper: torch 1.13 drops nn.Dropout, "
                          "nn.Dropout2d and nn.Identity from eval exports, so its graphs never contain them",
                          lambda t: F.relu(t))


def helper_constant():
    rng = np.random.default_rng(seed_of("constant"))
    w1, b1 = rand(rng, 4, 3, 3, 3), rand(rng, 4, scale=.3)
    w2, b2 = rand(rng, 10, 4 * 8 * 8), rand(rng, 10, scale=.1)
    cst = lambda n, arr: helper.make_node("Constant", [], [n], value=numpy_helper.from_array(np.asarray(arr), n))
    nodes = [conv_node("input", "c1", "conv1.weight", "conv1.bias", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                       strides=[2, 2]),
             cst("clip_min", np.array(0.0, np.float32)), cst("clip_max", np.array(6.0, np.float32)),
             helper.make_node("Clip", ["c1", "clip_min", "clip_max"], ["clip"]),
             cst("shape", np.array([0, -1], np.int64)),
             helper.make_node("Reshape", ["clip", "shape"], ["flat"]),
             helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], transB=1)]
    data = mk_model(nodes, {"conv1.weight": w1, "conv1.bias": b1, "fc.weight": w2, "fc.bias": b2}, IMG, [10])

    def ref(x):
        t = F.conv2d(torch.from_numpy(x), torch.from_numpy(w1), torch.from_numpy(b1), stride=2, padding=1)
        return F.linear(t.clamp(0, 6).flatten(1), torch.from_numpy(w2), torch.from_numpy(b2)).numpy()
    return data, IMG, 13, ref, ("Constant nodes (not initializers) feed Clip min/max (scalars 0 and 6) and the "
                                "Reshape shape [0, -1] (0 = copy the batch dimension)")


def helper_avgpool_include_pad_attr():
    mid = ([helper.make_node("AveragePool", ["c1"], ["p"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                             count_include_pad=1)], "p", {})
    data, shape, opset, _, _ = _conv_act_conv("avgpool_include_pad_attr", mid, 13, "", None)
    m = onnx.load_from_string(data)
    m.graph.output[0].type.tensor_type.shape.dim[2].dim_value = 8
    m.graph.output[0].type.tensor_type.shape.dim[3].dim_value = 8
    rng = np.random.default_rng(seed_of("avgpool_include_pad_attr"))
    w1, b1, w2, b2 = rand(rng, 8, 3, 3, 3), rand(rng, 8, scale=.3), rand(rng, 4, 8, 1, 1), rand(rng, 4, scale=.3)

    def ref(x):
        t = F.conv2d(torch.from_numpy(x), torch.from_numpy(w1), torch.from_numpy(b1), padding=1)
        t = F.avg_pool2d(t, 3, 2, 1, count_include_pad=True)
        return F.conv2d(t, torch.from_numpy(w2), torch.from_numpy(b2)).numpy()
    return m.SerializeToString(), shape, opset, ref, (
        "AveragePool k3 s2 pads [1,1,1,1] with count_include_pad=1 as an attribute (what other exporters write; "
        "torch writes Pad + AveragePool instead, see avgpool_include_pad)")


def helper_zero_pad(torch_data):
    """zero_pad_torch with its constant pads subgraph folded into one INT64 initializer."""
    m = onnx.load_from_string(torch_data)
    pad = next(n for n in m.graph.node if n.op_type == "Pad")
    ev = NumpyOnnx(m)
    # evaluate the constant subgraph that feeds the pads input
    env = {}
    for n in m.graph.node:
        if n is pad:
            break
        for k, val in zip(n.output, ev.op(n, [env.get(i) for i in n.input], _attrs(n))):
            env[k] = val
    pads = np.asarray(env[pad.input[1]], np.int64)
    keep = [n for n in m.graph.node if n.op_type in ("Pad", "Conv")]
    value_name = pad.input[2] if len(pad.input) > 2 else ""
    if value_name:
        value = np.asarray(env[value_name], np.float32)
        m.graph.initializer.append(numpy_helper.from_array(value, "pad.value"))
    m.graph.initializer.append(numpy_helper.from_array(pads, "pad.pads"))
    del pad.input[:]
    pad.input.extend(["input", "pad.pads"] + (["pad.value"] if value_name else []))
    del m.graph.node[:]
    m.graph.node.extend(keep)
    return m.SerializeToString(), pads.tolist()


def float_initializers(m):
    return [t for t in m.graph.initializer if t.data_type == TensorProto.FLOAT]


def edit_weights_dtype(data, dtype):
    """Store every float32 initializer as dtype and add a Cast back to float32 in front of its users.

    Conv/Gemm need X and W of one type (T), so a FLOAT16/DOUBLE weight feeding a float32 Conv directly is
    invalid ONNX; initializer -> Cast(to=FLOAT) -> Conv is valid and what ONNX Runtime runs."""
    m = onnx.load_from_string(data)
    np_t = {TensorProto.FLOAT16: np.float16, TensorProto.DOUBLE: np.float64}[dtype]
    casts = []
    for t in float_initializers(m):
        arr = numpy_helper.to_array(t).astype(np_t)
        name = t.name
        t.CopyFrom(numpy_helper.from_array(arr, name + "_" + np.dtype(np_t).name))
        casts.append(helper.make_node("Cast", [t.name], [name], to=TensorProto.FLOAT, name="Cast_" + name))
    nodes = list(m.graph.node)
    del m.graph.node[:]
    m.graph.node.extend(casts + nodes)
    return m.SerializeToString()


def edit_float_data(data):
    m = onnx.load_from_string(data)
    for t in float_initializers(m):
        arr = numpy_helper.to_array(t)
        t.ClearField("raw_data")
        t.float_data.extend(arr.reshape(-1).tolist())
    return m.SerializeToString()


def torch_conv_relu_conv(data, x):
    """conv_folded-shaped graph (Conv, Relu, Conv; pads 1 then 0) run with torch on the file's own weights."""
    m = onnx.load_from_string(data)
    w = {t.name: torch.from_numpy(numpy_helper.to_array(t).astype(np.float32)) for t in m.graph.initializer}
    for n in m.graph.node:  # weight name -> initializer through the Cast nodes
        if n.op_type == "Cast":
            w[n.output[0]] = w[n.input[0]]
    c1, c2 = [n for n in m.graph.node if n.op_type == "Conv"]
    t = F.relu(F.conv2d(torch.from_numpy(x), w[c1.input[1]], w[c1.input[2]], padding=1))
    return F.conv2d(t, w[c2.input[1]], w[c2.input[2]]).numpy()


def tiny_png():
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

class Writer:
    def __init__(self, out):
        self.out = out
        self.index = []
        os.makedirs(out, exist_ok=True)

    def write(self, name, data, x, y, opset_expected, built_with, reference, checks, notes, expect="import",
              extra=None):
        assert len(data) < 200_000, name + " is too large"
        m = onnx.load_from_string(data)
        onnx.checker.check_model(m, full_check=True)
        opset = next(o.version for o in m.opset_import if o.domain in ("", "ai.onnx"))
        assert opset == opset_expected, (name, opset)
        y = np.ascontiguousarray(y, dtype="<f4")
        x = np.ascontiguousarray(x, dtype="<f4")
        for label, val in checks.items():
            assert val <= TOL * max(1.0, float(np.max(np.abs(y)))), "%s: %s differs by %g" % (name, label, val)
        with open(os.path.join(self.out, name + ".onnx"), "wb") as f:
            f.write(data)
        x.tofile(os.path.join(self.out, name + ".input.bin"))
        y.tofile(os.path.join(self.out, name + ".output.bin"))
        ops = [n.op_type for n in m.graph.node]
        meta = collections.OrderedDict([
            ("name", name), ("file", name + ".onnx"), ("expect", expect),
            ("opset", opset), ("ir_version", m.ir_version), ("producer", m.producer_name + " " + m.producer_version),
            ("input", {"name": m.graph.input[0].name, "onnx_shape": dims(m.graph.input[0]), "shape": list(x.shape),
                       "dtype": "float32", "file": name + ".input.bin"}),
            ("output", {"name": m.graph.output[0].name, "onnx_shape": dims(m.graph.output[0]),
                        "shape": list(y.shape), "dtype": "float32", "file": name + ".output.bin"}),
            ("dynamic_batch", isinstance(dims(m.graph.input[0])[0], str)),
            ("ops", ops), ("op_types", sorted(set(ops))),
            ("initializer_types", sorted({TensorProto.DataType.Name(t.data_type) for t in m.graph.initializer})),
            ("parameters", int(sum(np.prod(t.dims) for t in m.graph.initializer))),
            ("built_with", built_with), ("reference", reference),
            ("checks_max_abs_diff", {k: float("%.3g" % v) for k, v in checks.items()}),
            ("tolerance", TOL), ("notes", notes)])
        if extra:
            meta.update(extra)
        self._json(name, meta)
        self.index.append({"name": name, "expect": expect, "bytes": len(data), "opset": opset,
                           "op_types": meta["op_types"]})

    def write_corrupt(self, name, data, notes):
        with open(os.path.join(self.out, name + ".onnx"), "wb") as f:
            f.write(data)
        try:
            m = onnx.load_from_string(data)
            parse = "parses as a ModelProto (ir_version=%d, %d nodes)" % (m.ir_version, len(m.graph.node))
            try:
                onnx.checker.check_model(m)
                parse += "; onnx.checker accepts it"
            except Exception as e:  # noqa: BLE001
                parse += "; onnx.checker rejects it: " + str(e).splitlines()[0][:160]
        except Exception as e:  # noqa: BLE001
            parse = "protobuf parse fails: " + (str(e).splitlines() or [type(e).__name__])[0][:160]
        meta = collections.OrderedDict([("name", name), ("file", name + ".onnx"), ("expect", "refuse"),
                                        ("bytes", len(data)), ("python_onnx_load", parse), ("notes", notes)])
        self._json(name, meta)
        self.index.append({"name": name, "expect": "refuse", "bytes": len(data), "opset": None, "op_types": []})

    def _json(self, name, meta):
        with open(os.path.join(self.out, name + ".json"), "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")

    def finish(self):
        with open(os.path.join(self.out, "index.json"), "w") as f:
            json.dump({"generator": "docs/onnx/make-fixtures.py",
                       "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                                    "onnx": onnx.__version__, "numpy": np.__version__},
                       "encoding": "NAME.input.bin / NAME.output.bin: little-endian float32, raw, C order",
                       "fixtures": self.index}, f, indent=2)
            f.write("\n")


def make_fixtures(out):
    w = Writer(out)
    torch_data = {}
    for name in TORCH_FIXTURES:
        model, x, data, opset, notes = build_torch_fixture(name)
        y = torch_run(model, x)
        torch_data[name] = (model, x, data, y)
        how = "torch.onnx.export opset %d, %s" % (
            opset, "training=PRESERVE on an eval-mode model (BN kept)" if TORCH_FIXTURES[name][3] == "bn_kept"
            else "eval mode (training=EVAL, BN folded)")
        w.write(name, data, x, y, opset, how, "torch (eval mode)", {"numpy_evaluator": max_diff(numpy_run(data, x), y)},
                notes, expect="refuse" if name == "transpose" else "import",
                extra={"needs": ["constant folding of the Pad pads subgraph (contains Transpose)"]}
                if name == "zero_pad_torch" else None)
    # BN kept vs folded must agree
    same = max_diff(torch_data["conv_bn_relu"][3], torch_data["conv_folded"][3])
    assert same == 0.0, same
    assert "BatchNormalization" in [n.op_type for n in onnx.load_from_string(torch_data["conv_bn_relu"][2]).graph.node]

    helpers = collections.OrderedDict([
        ("matmul_add", helper_matmul_add), ("clip_attr_opset10", helper_clip_attr_opset10),
        ("dropout_identity", helper_dropout_identity), ("constant", helper_constant),
        ("avgpool_include_pad_attr", helper_avgpool_include_pad_attr)])
    for name, build in helpers.items():
        data, shape, opset, ref, notes = build()
        x = make_input(name, shape)
        y = numpy_run(data, x).astype(np.float32)
        w.write(name, data, x, y, opset, "onnx.helper", "numpy evaluator in this script",
                {"torch_equivalent": max_diff(ref(x), y)}, notes,
                expect="refuse" if name == "clip_attr_opset10" else "import",
                extra={"outside_supported_opsets": "opset 10 is outside 11-17"} if name == "clip_attr_opset10"
                else None)

    # zero_pad: the torch model with its pads folded to an initializer
    model, x, tdata, y = torch_data["zero_pad_torch"]
    data, pads = helper_zero_pad(tdata)
    w.write("zero_pad", data, x, y, 13, "zero_pad_torch with the pads subgraph replaced by an INT64 initializer",
            "torch (eval mode)", {"numpy_evaluator": max_diff(numpy_run(data, x), y)},
            "nn.ZeroPad2d((1,2,0,1)) -> Pad(mode=constant) with pads initializer %s (ONNX order: begins of all "
            "axes, then ends) and constant value initializer 0 -> Conv k3 without padding" % pads)

    # weight storage variants, all from conv_folded (same input, output equal up to the storage precision)
    model, x, base, y = torch_data["conv_folded"]
    fp16 = edit_weights_dtype(base, TensorProto.FLOAT16)
    y16 = numpy_run(fp16, x).astype(np.float32)
    w.write("weights_float16", fp16, x, y16, 13, "conv_folded edited with onnx.numpy_helper",
            "numpy evaluator (float16 weights widened exactly)",
            {"torch_conv_relu_conv_with_these_weights": max_diff(torch_conv_relu_conv(fp16, x), y16)},
            "every initializer stored as FLOAT16 (raw_data) and widened by a Cast(to=FLOAT) node placed before "
            "the first node. A FLOAT16 initializer feeding a float32 Conv directly would be invalid ONNX (Conv "
            "needs X and W of one type T); this form passes onnx.checker and runs in ONNX Runtime. Output "
            "differs from conv_folded by %.2g (weight rounding)." % max_diff(y16, y),
            extra={"differs_from_conv_folded_by": float("%.3g" % max_diff(y16, y))})
    fp64 = edit_weights_dtype(base, TensorProto.DOUBLE)
    y64 = numpy_run(fp64, x)
    w.write("weights_float64", fp64, x, y, 13, "conv_folded edited with onnx.numpy_helper", "torch (eval mode)",
            {"numpy_evaluator": max_diff(y64, y)},
            "every initializer stored as DOUBLE (the float32 values widened, so exact) and narrowed by "
            "Cast(to=FLOAT) before use; same output as conv_folded")
    fd = edit_float_data(base)
    w.write("weights_float_data", fd, x, y, 13, "conv_folded edited with onnx.numpy_helper", "torch (eval mode)",
            {"numpy_evaluator": max_diff(numpy_run(fd, x), y)},
            "initializers in the typed field float_data (repeated float, packed) instead of raw_data; same "
            "output as conv_folded")
    fixed = torch_export(model, x, 13, dynamic=False)
    w.write("fixed_batch", fixed, x, y, 13, "torch.onnx.export opset 13, eval, no dynamic_axes", "torch (eval mode)",
            {"numpy_evaluator": max_diff(numpy_run(fixed, x), y)},
            "conv_folded without dynamic_axes: input and output have a fixed batch dimension of 2 (dim_value)")

    # corrupt files
    valid = torch_data["conv_folded"][2]
    w.write_corrupt("truncated", valid[:len(valid) // 2], "first half (%d of %d bytes) of conv_folded.onnx" %
                    (len(valid) // 2, len(valid)))
    w.write_corrupt("empty", b"", "0 bytes. Note: an empty byte string is a valid, empty protobuf message, so a "
                    "parser alone accepts it; the importer must refuse a model without a graph/opset")
    w.write_corrupt("not_onnx", tiny_png(), "a 1x1 PNG image")
    w.finish()
    return w


# ---------------------------------------------------------------------------------------------
# --large and --zoo
# ---------------------------------------------------------------------------------------------

def export_torchvision(arch, outdir, name, bn_kept, write_refs=True):
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(weights=None, num_classes=10)
    randomize_bn(model, 0)
    model.eval()
    x = make_input(arch, (3, 32, 32))
    data = torch_export(model, x, 13, TRAIN_PRESERVE if bn_kept else torch.onnx.TrainingMode.EVAL)
    m = onnx.load_from_string(data)
    onnx.checker.check_model(m)
    with open(os.path.join(outdir, name + ".onnx"), "wb") as f:
        f.write(data)
    y = torch_run(model, x)
    info = collections.OrderedDict([
        ("name", name), ("arch", arch), ("bn", "kept" if bn_kept else "folded"), ("opset", 13),
        ("ir_version", m.ir_version), ("bytes", len(data)),
        ("params_torch", int(sum(p.numel() for p in model.parameters()))),
        ("initializer_elements", int(sum(np.prod(t.dims) for t in m.graph.initializer))),
        ("op_types", sorted({n.op_type for n in m.graph.node})),
        ("input_onnx_shape", dims(m.graph.input[0])), ("output_onnx_shape", dims(m.graph.output[0]))])
    try:
        info["numpy_evaluator_max_abs_diff"] = float("%.3g" % max_diff(numpy_run(data, x), y))
    except NotImplementedError as e:
        info["numpy_evaluator_max_abs_diff"] = "not run: " + str(e)
    if write_refs:
        np.ascontiguousarray(x, "<f4").tofile(os.path.join(outdir, name + ".input.bin"))
        np.ascontiguousarray(y, "<f4").tofile(os.path.join(outdir, name + ".output.bin"))
        info["input_shape"], info["output_shape"] = list(x.shape), list(y.shape)
    info["ops"] = attr_summary(m)
    with open(os.path.join(outdir, name + ".json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    return info


def make_large(outdir):
    os.makedirs(outdir, exist_ok=True)
    for arch in ("resnet18", "mobilenet_v2"):
        for bn_kept in (False, True):
            name = arch + ("_bn" if bn_kept else "")
            info = export_torchvision(arch, outdir, name, bn_kept)
            print("large: %-18s %9d bytes  %s  numpy diff %s" % (name, info["bytes"], " ".join(info["op_types"]),
                                                                 info["numpy_evaluator_max_abs_diff"]))


ZOO = ["resnet18", "resnet34", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
       "squeezenet1_1", "shufflenet_v2_x0_5", "vgg11_bn"]


def make_zoo(outdir):
    os.makedirs(outdir, exist_ok=True)
    results = []
    for arch in ZOO:
        entry = collections.OrderedDict([("arch", arch), ("input", [BATCH, 3, 32, 32]), ("opset", 13)])
        try:
            info = export_torchvision(arch, outdir, arch, False, write_refs=False)
            entry.update([("exported", True), ("file", arch + ".onnx"), ("bytes", info["bytes"]),
                          ("params", info["params_torch"]), ("op_types", info["op_types"]),
                          ("numpy_evaluator_max_abs_diff", info["numpy_evaluator_max_abs_diff"])])
        except Exception as e:  # noqa: BLE001
            torch.manual_seed(0)
            params = sum(p.numel() for p in getattr(torchvision.models, arch)(weights=None, num_classes=10)
                         .parameters())
            entry.update([("exported", False), ("error", "%s: %s" % (type(e).__name__, str(e).strip()[:400])),
                          ("params", int(params))])
        print("zoo: %-20s %s" % (arch, entry.get("op_types") or entry.get("error")))
        results.append(entry)
    with open(os.path.join(outdir, "zoo.json"), "w") as f:
        json.dump({"versions": {"torch": torch.__version__, "torchvision": torchvision.__version__},
                   "models": results}, f, indent=2)
        f.write("\n")


def ort_check(out, node_modules):
    """Run every fixture in ONNX Runtime (npm onnxruntime-node) and record the result in NAME.json."""
    env = dict(os.environ, NODE_PATH=node_modules)
    res = subprocess.run(["node", os.path.join(HERE, "verify-ort.cjs"), out, "--json"], env=env,
                         capture_output=True, text=True, check=False)
    if res.returncode not in (0, 1):
        print(res.stderr, file=sys.stderr)
        raise SystemExit("verify-ort.cjs failed")
    report = json.loads(res.stdout)
    bad = []
    for r in report["results"]:
        path = os.path.join(out, r["name"] + ".json")
        with open(path) as f:
            meta = json.load(f, object_pairs_hook=collections.OrderedDict)
        meta["onnxruntime"] = {k: v for k, v in r.items() if k != "name"}
        meta["onnxruntime"]["version"] = report["version"]
        with open(path, "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
        if not r["ok"]:
            bad.append(r["name"])
    print("onnxruntime %s: %d fixtures checked, failing: %s" % (report["version"], len(report["results"]),
                                                              bad or "none"))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="fixture folder (default: src/test/resources/onnx)")
    ap.add_argument("--large", metavar="OUTDIR", help="also export resnet18 and mobilenet_v2 (not committed)")
    ap.add_argument("--zoo", metavar="OUTDIR", help="also try more torchvision CNNs, write OUTDIR/zoo.json")
    ap.add_argument("--ort-node-modules", metavar="DIR",
                    help="node_modules with onnxruntime-node: also check every fixture in ONNX Runtime")
    ap.add_argument("--skip-fixtures", action="store_true", help="only do --large / --zoo")
    args = ap.parse_args()
    if not args.skip_fixtures:
        w = make_fixtures(args.out)
        total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
        print("fixtures: %d in %s, %d bytes in all" % (len(w.index), args.out, total))
        if args.ort_node_modules:
            if ort_check(args.out, args.ort_node_modules):
                raise SystemExit(1)
    if args.large:
        make_large(args.large)
    if args.zoo:
        make_zoo(args.zoo)


if __name__ == "__main__":
    main()
