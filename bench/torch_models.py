"""PyTorch peers of the //bench:models programs, timed the same way.

Prints one line per model: `<model> pytorch_ms=<median>`; each model uses
its fastest mode (ResNet-50: torch.jit.trace + optimize_for_inference; the
encoder: the faster of eager and traced TorchScript). Weights are random:
only time is measured.

  python3 bench/torch_models.py --threads 2 --iters 20 resnet50 bert7 bert128
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn.functional as F


def median_ms(fn, iters, warmup=3):
    with torch.no_grad():
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(iters):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


class Layer(torch.nn.Module):
    """One BERT-base encoder layer (post-LN, GELU), as in the exported model."""

    def __init__(self, hidden=768, heads=12, ffn=3072):
        super().__init__()
        self.heads = heads
        self.qkv = torch.nn.ModuleList(torch.nn.Linear(hidden, hidden) for _ in range(3))
        self.out = torch.nn.Linear(hidden, hidden)
        self.ln1 = torch.nn.LayerNorm(hidden, eps=1e-12)
        self.up = torch.nn.Linear(hidden, ffn)
        self.down = torch.nn.Linear(ffn, hidden)
        self.ln2 = torch.nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, x, mask):
        b, s, h = x.shape
        d = h // self.heads
        q, k, v = (l(x).view(b, s, self.heads, d).transpose(1, 2) for l in self.qkv)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + mask
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, h)
        x = self.ln1(x + self.out(ctx))
        return self.ln2(x + self.down(F.gelu(self.up(x))))


class Bert(torch.nn.Module):
    def __init__(self, layers=12, hidden=768, vocab=30522):
        super().__init__()
        self.word = torch.nn.Embedding(vocab, hidden)
        self.pos = torch.nn.Embedding(512, hidden)
        self.type_emb = torch.nn.Embedding(2, hidden)
        self.ln = torch.nn.LayerNorm(hidden, eps=1e-12)
        self.layers = torch.nn.ModuleList(Layer() for _ in range(layers))
        self.pool = torch.nn.Linear(hidden, hidden)

    def forward(self, ids, types, mask):
        s = ids.shape[1]
        pos = torch.arange(s).unsqueeze(0)
        x = self.ln(self.word(ids) + self.pos(pos) + self.type_emb(types))
        m = (1.0 - mask[:, None, None, :].float()) * -3.4028234663852886e38
        for layer in self.layers:
            x = layer(x, m)
        return x, torch.tanh(self.pool(x[:, 0]))


def bench_resnet(iters):
    import torchvision
    model = torchvision.models.resnet50().eval()
    x = torch.rand(1, 3, 224, 224)
    with torch.no_grad():
        traced = torch.jit.optimize_for_inference(torch.jit.trace(model, x))
    return median_ms(lambda: traced(x), iters)


def bench_bert(seq, iters):
    model = Bert().eval()
    ids = torch.ones(1, seq, dtype=torch.long)
    types = torch.zeros(1, seq, dtype=torch.long)
    mask = torch.ones(1, seq, dtype=torch.long)
    eager = median_ms(lambda: model(ids, types, mask), iters)
    with torch.no_grad():
        traced = torch.jit.freeze(torch.jit.trace(model, (ids, types, mask)))
    scripted = median_ms(lambda: traced(ids, types, mask), iters)
    return min(eager, scripted)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--iters", type=int, default=20)
    parser.add_argument("models", nargs="+")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.models:
        if name == "resnet50":
            ms = bench_resnet(args.iters)
        elif name.startswith("bert"):
            ms = bench_bert(int(name[4:]), args.iters)
        else:
            raise SystemExit(f"unknown model {name}")
        print(f"{name} pytorch_ms={ms:.3f}", flush=True)


if __name__ == "__main__":
    main()
