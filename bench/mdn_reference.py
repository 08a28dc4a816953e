#!/usr/bin/python3
"""Python/PyTorch reference for the LSTM-MDN of study var_herrig2023 (the loop a user would write).

Same model, data split, batch size, optimiser settings and epoch count as the C++ ensemble
(models/var/mdn); one network at a time, eager PyTorch, one thread. Prints one line per network:
  network <seed> <epochs> <seconds> <final_train_loss> <final_val_loss>
Used by bench/mdn_vs_pytorch.cpp; run alone with --help.
"""
import argparse
import bisect
import csv
import math
import sys
import time

import torch

PERIODS = {"calm": ("2017-01-01", "2018-12-31"), "covid": ("2021-01-01", "2022-12-31")}


def read_returns(path):
    dates, prices = [], []
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        di, ci = header.index("date"), header.index("close")
        for row in reader:
            dates.append(row[di])
            prices.append(float(row[ci]))
    returns = [prices[i + 1] / prices[i] - 1.0 for i in range(len(prices) - 1)]
    return dates[1:], returns


def split(dates, returns, period, lags):
    first, last = PERIODS[period]
    test_first = bisect.bisect_left(dates, first)
    test_last = bisect.bisect_right(dates, last)
    end_valid = bisect.bisect_left(dates, dates[test_first - lags])  # row index (row 0 = first price)
    end_train = int(0.9 * end_valid)

    def windows(a, b):
        x = torch.tensor([returns[t - lags:t] for t in range(a, b)], dtype=torch.float32)
        y = torch.tensor([returns[t] for t in range(a, b)], dtype=torch.float32)
        return x.unsqueeze(-1), y

    return (windows(lags, end_train - 1), windows(end_train - 1 + lags, end_valid - 1),
            windows(test_first, test_last))


class LstmMdn(torch.nn.Module):
    """Keras LSTM(6, activation=relu) -> Dense(10, relu) -> Dense(K) x 3 (mu, sigma, logits)."""

    def __init__(self, components, hidden=6, dense=10):
        super().__init__()
        self.hidden = hidden
        self.kernel = torch.nn.Parameter(torch.empty(1, 4 * hidden))
        self.recurrent = torch.nn.Parameter(torch.empty(hidden, 4 * hidden))
        self.bias = torch.nn.Parameter(torch.zeros(4 * hidden))
        self.dense = torch.nn.Linear(hidden, dense)
        self.mu = torch.nn.Linear(dense, components)
        self.sigma = torch.nn.Linear(dense, components)
        self.logits = torch.nn.Linear(dense, components)
        with torch.no_grad():
            torch.nn.init.xavier_uniform_(self.kernel)
            torch.nn.init.orthogonal_(self.recurrent)
            self.bias[hidden:2 * hidden] = 1.0
            for layer in (self.dense, self.mu, self.sigma, self.logits):
                torch.nn.init.xavier_uniform_(layer.weight)
                torch.nn.init.zeros_(layer.bias)

    def forward(self, x):
        batch, steps, _ = x.shape
        h = x.new_zeros(batch, self.hidden)
        c = x.new_zeros(batch, self.hidden)
        H = self.hidden
        for t in range(steps):
            z = x[:, t, :] @ self.kernel + h @ self.recurrent + self.bias
            i, f = torch.sigmoid(z[:, :H]), torch.sigmoid(z[:, H:2 * H])
            g, o = torch.relu(z[:, 2 * H:3 * H]), torch.sigmoid(z[:, 3 * H:])
            c = f * c + i * g
            h = o * torch.relu(c)
        d = torch.relu(self.dense(h))
        return self.mu(d), torch.nn.functional.elu(self.sigma(d)) + 1 + 1e-7, self.logits(d)


def batch_loss(model, x, y, penalty):
    mu, sigma, logits = model(x)
    log_pi = torch.log_softmax(logits, -1)
    z = (y.unsqueeze(-1) - mu) / sigma
    log_n = -0.5 * z * z - torch.log(sigma) - 0.5 * math.log(2 * math.pi)
    loss = -torch.logsumexp(log_pi + log_n, -1).mean()
    if penalty:
        loss = loss + penalty * (logits ** 2).sum()
    return loss


def train(seed, data, components, penalty, epochs, patience, batch):
    (xt, yt), (xv, yv), _ = data
    torch.manual_seed(seed)
    model = LstmMdn(components)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    best, wait, n = math.inf, 0, len(yt)
    train_loss = val_loss = math.nan
    for epoch in range(1, epochs + 1):
        perm = torch.randperm(n)
        total = 0.0
        for start in range(0, n, batch):
            idx = perm[start:start + batch]
            opt.zero_grad()
            loss = batch_loss(model, xt[idx], yt[idx], penalty)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        train_loss = total / n
        with torch.no_grad():
            val_loss = sum(batch_loss(model, xv[s:s + batch], yv[s:s + batch], penalty).item() *
                           len(yv[s:s + batch]) for s in range(0, len(yv), batch)) / len(yv)
        wait += 1
        if train_loss < best:
            best, wait = train_loss, 0
        if wait >= patience:
            break
    return epoch, train_loss, val_loss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prices", required=True, help="thesis price CSV, e.g. .../herrig2023/prices/gspc.csv")
    parser.add_argument("--period", default="calm", choices=sorted(PERIODS))
    parser.add_argument("--architecture", default="mdn2", choices=["mdn2", "mdn2reg", "mdn3"])
    parser.add_argument("--seeds", type=int, default=1, help="networks to train (seeds 0..n-1)")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(1)
    dates, returns = read_returns(args.prices)
    data = split(dates, returns, args.period, 10)
    print(f"split {len(data[0][1])} {len(data[1][1])} {len(data[2][1])}", flush=True)
    components = 3 if args.architecture == "mdn3" else 2
    penalty = 0.1 if args.architecture == "mdn2reg" else 0.0
    for seed in range(args.seeds):
        started = time.perf_counter()
        epochs, train_loss, val_loss = train(seed, data, components, penalty, args.epochs,
                                             args.patience, args.batch)
        seconds = time.perf_counter() - started
        print(f"network {seed} {epochs} {seconds:.6f} {train_loss:.9g} {val_loss:.9g}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
