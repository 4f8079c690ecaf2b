#!/usr/bin/env python3
"""The same melody model in PyTorch, on the same data, for comparison with aidj (development only).

    .build/release/aidj-bench composer --epochs 5 --export /tmp/melodies.json
    python3 Benchmarks/compare_torch.py /tmp/melodies.json --epochs 5 --threads 1

Same as aidj's `MelodyModel`: embedding 64 → 1 × LSTM(256) → linear softmax over 38 tokens; the training melodies,
each after the separator (note-off + a bar of rest), form one stream cut into 64 contiguous lanes, trained 64 steps
at a time with the state carried over and detached (truncated BPTT); Adam (lr 1e-3), gradients clipped to norm 5;
no dropout. Validation: every melody from a fresh state, each event after the first predicted from the earlier
ones, mean NLL over those events (nats). Prints the validation NLL per epoch, then training throughput
(tokens/s) for 256 and 1024 units at the given thread count.
"""
import argparse
import json
import math
import time

import torch
from torch import nn


class MelodyLSTM(nn.Module):
    def __init__(self, units=256, embedding=64, vocabulary=38):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding)
        self.lstm = nn.LSTM(embedding, units)
        self.dense = nn.Linear(units, vocabulary)

    def forward(self, x, state=None):
        y, state = self.lstm(self.embedding(x), state)
        return self.dense(y), state


def lanes(train, separator, batch):
    stream = [t for melody in train for t in separator + melody]
    length = len(stream) // batch
    return torch.tensor(stream[: length * batch], dtype=torch.long).view(batch, length).t().contiguous()  # T × B


def evaluate(model, melodies):
    model.eval()
    nll, correct, events = 0.0, 0, 0
    with torch.no_grad():
        for melody in melodies:
            x = torch.tensor(melody[:-1], dtype=torch.long).view(-1, 1)
            y = torch.tensor(melody[1:], dtype=torch.long)
            logits, _ = model(x)
            logits = logits.view(-1, logits.size(-1))
            nll += nn.functional.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(-1) == y).sum().item()
            events += len(y)
    model.train()
    return nll / events, correct / events


def train_epoch(model, optimizer, data, seq):
    state, total, tokens = None, 0.0, 0
    start = time.perf_counter()
    for offset in range(0, data.size(0) - 1, seq):
        steps = min(seq, data.size(0) - 1 - offset)
        x, y = data[offset : offset + steps], data[offset + 1 : offset + 1 + steps]
        if state is not None:
            state = tuple(s.detach() for s in state)
        logits, state = model(x, state)
        loss = nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5)
        optimizer.step()
        total += loss.item() * y.numel()
        tokens += y.numel()
    return total / tokens, tokens / (time.perf_counter() - start)


def throughput(units, data, seq, steps):
    model = MelodyLSTM(units)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    state = None
    for step in range(steps + 1):
        if step == 1:
            start = time.perf_counter()
        offset = (step * seq) % (data.size(0) - seq - 1)
        x, y = data[offset : offset + seq], data[offset + 1 : offset + 1 + seq]
        if state is not None:
            state = tuple(s.detach() for s in state)
        logits, state = model(x, state)
        loss = nn.functional.cross_entropy(logits.view(-1, 38), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5)
        optimizer.step()
    return steps * seq * data.size(1) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-nll", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    document = json.load(open(args.data))
    separator = document["separator"][0]
    data = lanes(document["train"], separator, 64)
    if not args.skip_nll:
        model = MelodyLSTM()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        for epoch in range(1, args.epochs + 1):
            train_nll, speed = train_epoch(model, optimizer, data, 64)
            valid_nll, accuracy = evaluate(model, document["valid"])
            print(f"epoch {epoch}: train {train_nll:.4f}, valid {valid_nll:.4f} nats/event, accuracy {accuracy:.4f}, {speed:.0f} tokens/s")
    for units, steps in [(256, 40), (1024, 8)]:
        print(f"throughput 1 x {units} units, {args.threads} thread(s): {throughput(units, data, 64, steps):.0f} tokens/s")


if __name__ == "__main__":
    main()
