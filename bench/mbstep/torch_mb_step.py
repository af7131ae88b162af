"""One whole memory-bank training step (Alonso et al., ICCV 2021) in plain PyTorch: the twin of
org.semiseg.method.bench.MemoryBankStepBench, written from semiseg's Java code (MeanTeacher, MemoryBankMethod,
method.contrast, loss, train.Sgd, EmaTeacher) so that both sides do the same work.

One step, in order (A = 2 strong views, B = batch):
  1. teacher forward (training-mode BN, no grad) over the B weak unlabeled images: softmax, max -> pseudo-labels and
     confidences; padded pixels ignored (confidence 0)
  2. class counts += labeled masks + pseudo-labels; alpha_c = sqrt(median f / f_c) (Eq. 3 class balancing)
  3. ClassMix of the labeled batch (probability 0.2) -> student forward over B images -> L_sup (Eq. 3, alpha)
  4. per view: ClassMix of the strong view with the pseudo-labels and confidences (probability 0.8, own draw);
     one student forward over the A*B mixed views; per view one log-softmax for L_pseudo (Eq. 6, alpha, beta =
     confidence^6) and L_ent (Eq. 7)
  5. bank update: teacher forward over the B mixed labeled images; labels to the feature map by nearest neighbour;
     candidates = every non-ignored position (Feature Quality Filter off; on: teacher argmax == label and
     confidence > phi, read at the feature positions); teacher projection head (training-mode BN) -> z; each class's
     teacher projection selector scores its candidates; top K per (image, class) pushed into the class's FIFO queue
  6. L_contr (Eq. 8-11, factorised): student projection + prediction heads over the labeled pixels and over the
     unlabeled views' pixels; per class the prediction selector weights p (input detached), the bank side (bank
     vectors through the projection selector, weighted mean of unit vectors) computed once per class and shared
     by the labeled and the unlabeled term
  7. total = sum of the weighted terms; backward; one host read of the terms; SGD (momentum 0.9, weight decay
     5e-4, backbone at the poly lr, everything else incl. the heads at 10x); EMA of teacher network and heads
     (parameters and BN running statistics) with the cosine-ramped decay.

Usage: python3 torch_mb_step.py key=value ... (classes, batch, height, width, arch, backbone, os, width_mult, dim,
bank, labeled_images, views, warmup, steps, seed, threads, quality_filter, confidence, mix, load)
"""
import copy
import math
import os
import random
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "step"))
from torch_step import Aspp, conv_bn_relu  # noqa: E402  the step bench's ASPP (same layout as org.semiseg.model)

IGNORE = 255


def scaled(channels, width):
    """org.semiseg.model.ModelSpec.scaled: max(8, round(c * width)), Java's Math.round (half up)."""
    return max(8, int(math.floor(channels * width + 0.5)))


def conv(cin, cout, k, stride=1, dilation=1, bias=False):
    return nn.Conv2d(cin, cout, k, stride=stride, padding=dilation * (k - 1) // 2, dilation=dilation, bias=bias)


def resident_mib(key):
    """A size line of /proc/self/status (VmRSS, VmHWM) in MiB; -1 where there is none (not Linux)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) >> 10
    except OSError:
        pass
    return -1


class Block(nn.Module):
    """torchvision's BasicBlock (with dilation, as semiseg allows) or Bottleneck v1.5."""

    def __init__(self, bottleneck, cin, planes, stride, dilation):
        super().__init__()
        out = planes * 4 if bottleneck else planes
        if bottleneck:
            self.convs = nn.ModuleList([conv(cin, planes, 1), conv(planes, planes, 3, stride, dilation),
                                        conv(planes, out, 1)])
        else:
            self.convs = nn.ModuleList([conv(cin, planes, 3, stride, dilation), conv(planes, out, 3, 1, dilation)])
        self.bns = nn.ModuleList([nn.BatchNorm2d(c.out_channels) for c in self.convs])
        self.downsample = (nn.Sequential(conv(cin, out, 1, stride), nn.BatchNorm2d(out))
                           if stride != 1 or cin != out else None)

    def forward(self, x):
        y = x
        for i, (c, bn) in enumerate(zip(self.convs, self.bns)):
            y = bn(c(y))
            if i < len(self.convs) - 1:
                y = F.relu(y)
        y += x if self.downsample is None else self.downsample(x)
        return F.relu(y)


class Encoder(nn.Module):
    """org.semiseg.model.ResNetEncoder: dilated ResNet at a channel width; returns (layer1, layer4)."""

    def __init__(self, backbone, os_, width):
        super().__init__()
        bottleneck, depths = {"resnet18": (False, [2, 2, 2, 2]), "resnet34": (False, [3, 4, 6, 3]),
                              "resnet50": (True, [3, 4, 6, 3]), "resnet101": (True, [3, 4, 23, 3])}[backbone]
        dilate = [False, False, True, True] if os_ == 8 else [False, False, False, True]
        stem = scaled(64, width)
        self.stem = nn.Sequential(conv(3, stem, 7, 2), nn.BatchNorm2d(stem), nn.ReLU(),
                                  nn.MaxPool2d(3, 2, 1))
        cin, dilation, layers = stem, 1, []
        for i in range(4):
            planes = scaled(64 << i, width)
            stride = 1 if i == 0 else 2
            previous = dilation
            if dilate[i]:
                dilation *= stride
                stride = 1
            blocks = []
            for b in range(depths[i]):
                blocks.append(Block(bottleneck, cin, planes, stride if b == 0 else 1, previous if b == 0 else dilation))
                cin = planes * 4 if bottleneck else planes
            layers.append(nn.Sequential(*blocks))
            if i == 0:
                self.low_channels = cin
        self.layers = nn.ModuleList(layers)
        self.out_channels = cin

    def forward(self, x):
        low = self.layers[0](self.stem(x))
        y = low
        for layer in self.layers[1:]:
            y = layer(y)
        return low, y


class SegNet(nn.Module):
    """org.semiseg.model.SegmentationNet: returns (logits at input size, pre-classifier features)."""

    def __init__(self, arch, backbone, os_, width, classes):
        super().__init__()
        self.encoder = Encoder(backbone, os_, width)
        self.arch = arch
        if arch == "deeplabv2":
            self.v2 = nn.ModuleList([conv(self.encoder.out_channels, classes, 3, 1, r, bias=True)
                                     for r in (6, 12, 18, 24)])
            self.feature_channels = self.encoder.out_channels
        else:
            c = scaled(256, width)
            self.aspp = Aspp(self.encoder.out_channels, c, os_)
            self.reduce = conv_bn_relu(self.encoder.low_channels, scaled(48, width), 1)
            self.fuse1 = conv_bn_relu(c + scaled(48, width), c, 3)
            self.fuse2 = conv_bn_relu(c, c, 3)
            self.classifier = nn.Conv2d(c, classes, 1)
            self.feature_channels = c
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        if arch == "deeplabv2":
            for m in self.v2:
                nn.init.normal_(m.weight, 0, 0.01)

    def forward(self, x):
        low, high = self.encoder(x)
        if self.arch == "deeplabv2":
            features = high
            logits = sum(b(high) for b in self.v2)
        else:
            context = self.aspp(high)
            up = F.interpolate(context, size=low.shape[2:], mode="bilinear", align_corners=False)
            features = self.fuse2(self.fuse1(torch.cat([up, self.reduce(low)], 1)))
            logits = self.classifier(features)
        return F.interpolate(logits, size=x.shape[2:], mode="bilinear", align_corners=False), features


class Mlp(nn.Module):
    """Linear - BN - ReLU (LeakyReLU 0.2 for a selector) - Linear [- sigmoid]; BN mode chosen per call."""

    def __init__(self, cin, hidden, out, selector):
        super().__init__()
        self.first = nn.Linear(cin, hidden)
        self.bn = nn.BatchNorm1d(hidden)
        self.last = nn.Linear(hidden, out)
        self.selector = selector

    def forward(self, x, training):
        h = F.batch_norm(self.first(x), self.bn.running_mean, self.bn.running_var, self.bn.weight, self.bn.bias,
                         training, 0.1, 1e-5)
        h = F.leaky_relu(h, 0.2) if self.selector else F.relu(h)
        y = self.last(h)
        return torch.sigmoid(y).reshape(-1) if self.selector else y


class Heads(nn.Module):
    """org.semiseg.model.ContrastiveHeads: projection, prediction, 2 x C class-wise selectors."""

    def __init__(self, features, dim, classes):
        super().__init__()
        self.projection = Mlp(features, dim, dim, False)
        self.prediction = Mlp(dim, dim, dim, False)
        self.pred_selectors = nn.ModuleList([Mlp(dim, dim, 1, True) for _ in range(classes)])
        self.proj_selectors = nn.ModuleList([Mlp(dim, dim, 1, True) for _ in range(classes)])


def nearest_index(size_in, size_out):
    """BankSelection.nearestIndex: torch's interpolate(mode='nearest') source index, scale in float32."""
    scale = torch.tensor(size_in / size_out, dtype=torch.float32)
    return torch.clamp(torch.floor(torch.arange(size_out, dtype=torch.float32) * scale).long(), max=size_in - 1)


def downsample(labels, h, w):
    """(N, H, W) -> (N, h, w) by nearest neighbour."""
    return labels[:, nearest_index(labels.shape[1], h)][:, :, nearest_index(labels.shape[2], w)]


def pixels(features):
    """(N, F, h, w) -> (N*h*w, F)."""
    return features.permute(0, 2, 3, 1).reshape(-1, features.shape[1])


def l1_normalise(scores):
    """Eq. 8: w = N s / sum(s)."""
    return scores / scores.sum() * scores.shape[0]


def weighted_mean_of_unit_rows(x, w):
    return (F.normalize(x, dim=1, eps=1e-12) * w.reshape(-1, 1)).mean(0)


def wce(log_prob, labels, alpha, beta):
    """Eq. 3 (hard targets): -(1/N) sum alpha_c beta_n log p, N = non-ignored pixels."""
    valid = labels != IGNORE
    safe = labels * valid
    picked = log_prob.gather(1, safe.unsqueeze(1)).squeeze(1)
    weight = valid.float() * alpha[safe]
    if beta is not None:
        weight = weight * beta
    return -(picked * weight).sum() / valid.sum().float().clamp(min=1)


def entropy(log_prob, valid):
    """Eq. 7 over the valid pixels."""
    per_pixel = -(log_prob.exp() * log_prob).sum(1)
    mask = valid.float()
    return (per_pixel * mask).sum() / mask.sum().clamp(min=1)


def class_balance(counts):
    """org.semiseg.loss.ClassBalance: alpha_c = sqrt(median f / f_c) over present classes, 1 elsewhere."""
    total = counts.sum().double()
    present = counts > 0
    freq = counts.double() / total
    f = torch.sort(freq[present]).values
    n = f.numel()
    alpha = torch.ones(counts.numel(), dtype=torch.float64)
    if n:
        median = f[n // 2] if n % 2 == 1 else (f[n // 2 - 1] + f[n // 2]) / 2
        alpha[present] = torch.sqrt(median / freq[present])
    return alpha.float()


def classmix(x, labels, extra, probability, rng):
    """org.semiseg.augment.ClassMix.choose + DeviceMix: one draw for the batch; output i pastes, from image
    (i + 1) mod n, the pixels of ceil(k/2) of the k classes of that image's labels (ignore excluded)."""
    if rng.random() >= probability:
        return x, labels, extra
    n = x.shape[0]
    pick = []
    for j in range(n):
        present = torch.unique(labels[j])
        present = present[present != IGNORE].tolist()
        k = (len(present) + 1) // 2
        chosen = rng.sample(present, k)
        pick.append(torch.isin(labels[j], torch.tensor(chosen, dtype=labels.dtype)))
    source = torch.tensor([(i + 1) % n for i in range(n)])
    mask = torch.stack([pick[s] for s in source.tolist()])
    if not bool(mask.any()):
        return x, labels, extra
    m = mask.unsqueeze(1).float()
    mixed = x[source] * m + x * (1 - m)
    return (mixed, torch.where(mask, labels[source], labels),
            None if extra is None else torch.where(mask, extra[source], extra))


def top_k(image, cls, scores, k, classes):
    """BankSelection.topK: per (image, class) the k highest scores (ties: lower index first), ordered by image,
    class, score descending."""
    order = torch.sort(scores, descending=True, stable=True).indices
    group = (image * classes + cls)[order]
    by_group = torch.sort(group, stable=True).indices
    order, group = order[by_group], group[by_group]
    _, sizes = torch.unique_consecutive(group, return_counts=True)
    starts = torch.cumsum(sizes, 0) - sizes
    rank = torch.arange(order.numel()) - torch.repeat_interleave(starts, sizes)
    return order[rank < k]


class MemoryBankStep:
    def __init__(self, a):
        self.classes = int(a.get("classes", 11))
        self.views = int(a.get("views", 2))
        width = float(a.get("width_mult", 0.25))
        self.student = SegNet(a.get("arch", "deeplabv3plus"), a.get("backbone", "resnet18"), int(a.get("os", 8)),
                              width, self.classes).train()
        self.dim = int(a["dim"]) if "dim" in a else scaled(256, width)
        self.heads = Heads(self.student.feature_channels, self.dim, self.classes).train()
        self.teacher = copy.deepcopy(self.student)
        self.teacher_heads = copy.deepcopy(self.heads)
        for p in list(self.teacher.parameters()) + list(self.teacher_heads.parameters()):
            p.requires_grad_(False)
        self.ema_pairs = [(t, s) for net_t, net_s in ((self.teacher, self.student), (self.teacher_heads, self.heads))
                          for (_, t), (_, s) in zip(ema_state(net_t), ema_state(net_s))]
        self.bank_size = int(a.get("bank", 256))
        self.k = max(1, self.bank_size // int(a.get("labeled_images", 46)))
        self.bank = [torch.zeros(0, self.dim) for _ in range(self.classes)]  # newest first
        if a.get("prefill", "false") == "true":
            # the bank full (psi per class) from the first step: unit vectors from a fixed generator
            g = torch.Generator().manual_seed(int(a.get("seed", 1)))
            self.bank = [F.normalize(torch.randn(self.bank_size, self.dim, generator=g), dim=1)
                         for _ in range(self.classes)]
        self.quality_filter = a.get("quality_filter", "false") == "true"
        self.confidence = float(a.get("confidence", 0.95))
        self.counts = torch.ones(self.classes, dtype=torch.long)  # the Java bench's initial labeled pixel counts
        self.weights = dict(sup=1.0, pseudo=1.0, ent=0.01, contr=0.1)  # configs/demo.yaml's method.weights
        self.sharpen = 6.0
        self.iterations, self.lr, self.power = 100000, float(a.get("lr", 0.01)), 0.9
        self.ema = (0.995, 1.0)
        self.rng = random.Random(int(a.get("seed", 1)))
        # ClassMix probabilities of Table 1 (weak 0.2 labeled, strong 0.8 unlabeled); mix=false: none (as the Java
        # bench with set:augment.labeled=none set:augment.unlabeled=none), for the load= cross-check
        self.mix = (0.2, 0.8) if a.get("mix", "true") == "true" else (0.0, 0.0)
        encoder = set(id(p) for p in self.student.encoder.parameters())
        backbone = [p for p in self.student.parameters() if id(p) in encoder]
        rest = [p for p in self.student.parameters() if id(p) not in encoder] + list(self.heads.parameters())
        self.student_params = sum(p.numel() for p in self.student.parameters())
        self.head_params = sum(p.numel() for p in self.heads.parameters())
        # semiseg's Sgd updates every parameter every step (weight decay, momentum), also selectors of classes
        # absent from a step: zero gradients keep torch from skipping them
        for p in backbone + rest:
            p.grad = torch.zeros_like(p)
        self.opt = torch.optim.SGD([dict(params=backbone, lr=self.lr), dict(params=rest, lr=self.lr * 10)],
                                   lr=self.lr, momentum=0.9, weight_decay=5e-4)

    # --- the step -------------------------------------------------------------------------------------------------
    def step(self, it, xl, yl, xu, strong, padding, times):
        t0 = time.perf_counter()
        terms = {}
        w = self.weights
        b = xl.shape[0]
        # 1. pseudo-labels of the weak view (Eq. 5)
        with torch.no_grad():
            logits, _ = self.teacher(xu)
            conf, plabel = logits.softmax(1).max(1)
            plabel[padding] = IGNORE
            conf[padding] = 0
            valid = ~padding
            confident_share = float((conf[valid] > self.confidence).sum()) / max(1, int(valid.sum()))
        # 2. class balancing from the labeled masks and the pseudo-labels seen so far
        self.counts += torch.bincount(yl[yl != IGNORE], minlength=self.classes)
        self.counts += torch.bincount(plabel[plabel != IGNORE], minlength=self.classes)
        alpha = class_balance(self.counts)
        # 3. labeled pass (ClassMix, weak preset's 0.2) and L_sup
        xl, yl, _ = classmix(xl, yl, None, self.mix[0], self.rng)
        logits_l, features_l = self.student(xl)
        terms["sup"] = wce(logits_l.log_softmax(1), yl, alpha, None) * w["sup"]
        # 4. unlabeled views (ClassMix, strong preset's 0.8, own draw per view), one student pass, L_pseudo, L_ent
        mixed, labels, confs = [], [], []
        for v in range(self.views):
            x, y, c = classmix(strong[v], plabel, conf, self.mix[1], self.rng)
            mixed.append(x)
            labels.append(y)
            confs.append(c)
        logits_u, features_u = self.student(torch.cat(mixed))
        pseudo, ent = 0, 0
        for v in range(self.views):
            log_p = logits_u[v * b:(v + 1) * b].log_softmax(1)  # shared by both terms
            pseudo = pseudo + wce(log_p, labels[v], alpha, confs[v].pow(self.sharpen))
            ent = ent + entropy(log_p, labels[v] != IGNORE)
        terms["pseudo"] = pseudo * (w["pseudo"] / self.views)
        terms["ent"] = ent * (w["ent"] / self.views)
        # 5. bank update from the teacher on the (mixed) labeled images
        self.update_bank(xl, yl)
        # 6. L_contr on labeled and unlabeled pixels; the bank side is shared
        side = {}
        c_l, s_l = self.contrast(features_l, yl, side)
        c_u, s_u = self.contrast(features_u, torch.cat(labels), side)
        terms["contr_labeled"] = c_l * w["contr"]
        terms["contr_unlabeled"] = c_u * w["contr"]
        attention = [(s_l[0] + s_u[0]) / 2, (s_l[1] + s_u[1]) / 2]  # logged means, as the Java step's scalars
        total = sum(terms.values())
        t1 = time.perf_counter()
        self.memory = [resident_mib("VmRSS")]
        total.backward()
        t2 = time.perf_counter()
        self.memory.append(resident_mib("VmRSS"))
        values = torch.stack([t.detach() for t in terms.values()]).tolist()
        t3 = time.perf_counter()
        lr = self.lr * (1 - it / self.iterations) ** self.power
        self.opt.param_groups[0]["lr"] = lr
        self.opt.param_groups[1]["lr"] = lr * 10
        self.opt.step()
        self.opt.zero_grad(set_to_none=False)
        t4 = time.perf_counter()
        start, end = self.ema
        tau = end - (end - start) * (1 + math.cos(math.pi * min(1.0, max(0.0, it / self.iterations)))) / 2
        with torch.no_grad():
            for t, s in self.ema_pairs:
                t.mul_(tau).add_(s, alpha=1 - tau)
        t5 = time.perf_counter()
        times[:] = [0.0, (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t4 - t3) * 1000, (t5 - t4) * 1000]
        return dict(zip(terms.keys(), values)), confident_share, attention

    def update_bank(self, x, y):
        with torch.no_grad():
            logits, features = self.teacher(x)
            n, _, h, w = features.shape
            down = downsample(y, h, w).reshape(-1)
            keep = down != IGNORE
            if self.quality_filter:  # the teacher's prediction read at the feature map's positions
                rows, cols = nearest_index(x.shape[2], h), nearest_index(x.shape[3], w)
                conf, pred = logits[:, :, rows][:, :, :, cols].softmax(1).max(1)
                keep &= (pred.reshape(-1) == down) & (conf.reshape(-1) > self.confidence)
            index = keep.nonzero().reshape(-1)
            if index.numel() < 2:
                return
            image = index // (h * w)
            cls = down[index]
            z = self.teacher_heads.projection(pixels(features)[index], True)
            scores = torch.zeros(index.numel())
            for c in range(self.classes):
                members = (cls == c).nonzero().reshape(-1)
                if members.numel():
                    scores[members] = self.teacher_heads.proj_selectors[c](z[members], members.numel() > 1)
            chosen = top_k(image, cls, scores, self.k, self.classes)
            chosen_cls = cls[chosen]
            for c in torch.unique(chosen_cls).tolist():
                pushed = z[chosen[chosen_cls == c]]
                self.bank[c] = torch.cat([pushed.flip(0), self.bank[c]])[:self.bank_size]

    def bank_side(self, side, c):
        if c not in side:
            zc = self.bank[c]
            sz = self.heads.proj_selectors[c](zc, zc.shape[0] > 1)
            wz = l1_normalise(sz)
            side[c] = (weighted_mean_of_unit_rows(zc, wz), wz.mean(), sz.detach().sum())
        return side[c]

    def contrast(self, features, labels, side):
        _, _, h, w = features.shape
        down = downsample(labels, h, w).reshape(-1)
        index = (down != IGNORE).nonzero().reshape(-1)
        classes = down[index]
        if index.numel() < 2:  # BN in the heads needs two rows in training mode
            p = torch.zeros(0, self.dim)
            classes = classes[:0]
        else:
            p = self.heads.prediction(self.heads.projection(pixels(features)[index], True), True)
        order = torch.sort(classes, stable=True).indices
        counts = torch.bincount(classes, minlength=self.classes).tolist()
        terms, pred_sums, bank_sums, pred_rows, bank_rows = [], [], [], 0, 0
        start = 0
        for c in range(self.classes):
            members = order[start:start + counts[c]]
            start += counts[c]
            fill = self.bank[c].shape[0]
            if counts[c] == 0 or fill == 0:
                continue
            pc = p[members]
            sp = self.heads.pred_selectors[c](pc.detach(), counts[c] > 1)
            wp = l1_normalise(sp)
            z_mean, wz_mean, sz_sum = self.bank_side(side, c)
            p_mean = weighted_mean_of_unit_rows(pc, wp)
            terms.append(wp.mean() * wz_mean - (p_mean * z_mean).sum())
            pred_sums.append(sp.detach().sum())
            bank_sums.append(sz_sum)
            pred_rows += counts[c]
            bank_rows += fill
        loss = sum(terms) / self.classes if terms else p.sum() * 0
        return loss, [sum(pred_sums) / pred_rows if terms else 0.0, sum(bank_sums) / bank_rows if terms else 0.0]


def java_name(name):
    """The semiseg (ParameterNames) name of a parameter or buffer of SegNet / Heads here."""
    import re
    rules = [(r"^encoder\.stem\.0\.", "backbone.conv1."), (r"^encoder\.stem\.1\.", "backbone.bn1."),
             (r"^encoder\.layers\.(\d+)\.", lambda m: f"backbone.layer{int(m.group(1)) + 1}."),
             (r"\.convs\.(\d+)\.", lambda m: f".conv{int(m.group(1)) + 1}."),
             (r"\.bns\.(\d+)\.", lambda m: f".bn{int(m.group(1)) + 1}."),
             (r"^aspp\.branches\.(\d+)\.", lambda m: f"aspp.branch{m.group(1)}."),
             (r"^(reduce|fuse1|fuse2)\.", r"decoder.\1."), (r"^v2\.", "aspp."),
             (r"^(aspp\.\w+|decoder\.\w+)\.0\.", r"\1.conv."), (r"^(aspp\.\w+|decoder\.\w+)\.1\.", r"\1.bn."),
             (r"^((?:projection|prediction|(?:pred|proj)_selectors\.\d+))\.first\.", r"\1.0."),
             (r"^((?:projection|prediction|(?:pred|proj)_selectors\.\d+))\.bn\.", r"\1.1."),
             (r"^((?:projection|prediction|(?:pred|proj)_selectors\.\d+))\.last\.", r"\1.3.")]
    for pattern, repl in rules:
        name = re.sub(pattern, repl, name)
    return name


def load(s, folder):
    """Weights and batches written by MemoryBankStepBench dump=FOLDER; the teachers start as copies again."""
    arrays = {}
    for line in open(os.path.join(folder, "index.txt")):
        name, kind, shape = line.split()
        data = open(os.path.join(folder, f"{name}.{kind}"), "rb").read()
        t = torch.frombuffer(bytearray(data), dtype=torch.float32 if kind == "f32" else torch.int32)
        arrays[name] = t.reshape([] if shape == "scalar" else [int(d) for d in shape.split(",")])
    for prefix, net in (("net.", s.student), ("heads.", s.heads)):
        with torch.no_grad():
            for name, t in ema_state(net):
                src = arrays.pop(prefix + java_name(name))
                if src.shape != t.shape:
                    raise SystemExit(f"{name} ({prefix + java_name(name)}): shape {tuple(src.shape)} vs {tuple(t.shape)}")
                t.copy_(src)
    with torch.no_grad():
        for t, src in s.ema_pairs:
            t.copy_(src)
    left = [k for k in arrays if not k.startswith("batch.")]
    if left:
        raise SystemExit(f"arrays not loaded: {left[:5]}")
    views = sorted(k for k in arrays if k.startswith("batch.strong"))
    return (arrays["batch.labeled_images"], arrays["batch.labeled_masks"].long(), arrays["batch.unlabeled_images"],
            [arrays[k] for k in views], arrays["batch.padding"] == IGNORE)


def ema_state(net):
    """Parameters and BN running statistics by name (num_batches_tracked is not semiseg state)."""
    return [(k, v) for k, v in net.state_dict(keep_vars=True).items() if not k.endswith("num_batches_tracked")]


def synthetic(a, batch, h, w, classes, views, seed):
    """MemoryBankStepBench's batches: the same label formula and padding; Gaussian images of another generator."""
    g = torch.Generator().manual_seed(seed)
    xl = torch.randn(batch, 3, h, w, generator=g)
    y = torch.arange(h).reshape(1, h, 1)
    x = torch.arange(w).reshape(1, 1, w)
    shift = (37 * torch.arange(batch).reshape(batch, 1, 1)) % w
    band = (y * max(1, classes - 3) // h).expand(batch, h, w)
    column = (x + shift) // 24
    obj = torch.where((column % 6 == 0) & torch.tensor(classes > 3), classes - 3 + (column // 6) % 3,
                      torch.tensor(-1))
    yl = torch.where((obj >= 0) & (y > h // 3), obj, band).long()
    xu = torch.randn(batch, 3, h, w, generator=g)
    strong = [xu + 0.1 * torch.randn(batch, 3, h, w, generator=g) for _ in range(views)]
    padding = torch.zeros(batch, h, w, dtype=torch.bool)
    padding[:, :, max(0, w - 8):] = True
    return xl, yl, xu, strong, padding


def main():
    a = dict(arg.split("=", 1) for arg in sys.argv[1:])
    batch = int(a.get("batch", 8))
    h, w = int(a.get("height", 176)), int(a.get("width", 240))
    warmup, steps = int(a.get("warmup", 8)), int(a.get("steps", 10))
    seed = int(a.get("seed", 1))
    torch.set_num_threads(int(a.get("threads", 2)))
    torch.manual_seed(seed)
    s = MemoryBankStep(a)
    first = 2000  # the method's warm-up (method.warmup) at 100,000 iterations: pseudo and contrastive terms in force
    print(f"torch {torch.__version__}: {a.get('arch', 'deeplabv3plus')} {a.get('backbone', 'resnet18')} "
          f"os{a.get('os', 8)} width {a.get('width_mult', 0.25)} classes {s.classes} threads={torch.get_num_threads()}; "
          f"batch {batch} labeled + {batch} unlabeled x {s.views} views, {h}x{w}, head width {s.dim}, bank "
          f"{s.bank_size} per class (K={s.k} per image), quality filter "
          f"{'ON (phi %g)' % s.confidence if s.quality_filter else 'off'}, iterations from {first}, class balancing on")
    print(f"torch trainable parameters: student {s.student_params} + heads and selectors {s.head_params} = "
          f"{s.student_params + s.head_params}")
    print("torch BLAS: libblas.so.3 ->", os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"))
    if "load" in a:
        xl, yl, xu, strong, padding = load(s, a["load"])
        print(f"loaded the initial weights and the batches from {a['load']}")
    else:
        xl, yl, xu, strong, padding = synthetic(a, batch, h, w, s.classes, s.views, seed)
    measured, phases = [], [0.0] * 6
    for i in range(warmup + steps):
        terms, confident, attention = s.step(first + i, xl, yl, xu, strong, padding, phases)
        ms = sum(phases)
        if i >= warmup:
            measured.append(ms)
        fill = sum(b.shape[0] for b in s.bank)
        line = "".join(f" {k}={v:.7g}" for k, v in terms.items())
        print(f"torch step {i}{' (warm-up)' if i < warmup else ''} {ms:.1f} ms (upload 0, forward+losses+bank "
              f"{phases[1]:.0f}, backward {phases[2]:.0f}, read {phases[3]:.0f}, sgd {phases[4]:.0f}, ema "
              f"{phases[5]:.0f}) bank {fill}{line}", flush=True)
        print(f"torch memory step {i}: resident MiB after forward {s.memory[0]}, after backward {s.memory[1]}, at the "
              f"end {resident_mib('VmRSS')}; peak {resident_mib('VmHWM')} (anonymous {resident_mib('RssAnon')}, files "
              f"{resident_mib('RssFile')})", flush=True)
        if i == warmup + steps - 1:
            print(f"TERMS torch{line} confident_share={confident:.4f} bank_fill={fill}")
    median = statistics.median(measured) if measured else float("nan")
    print(f"RESULT torch median_ms={median:.1f} params={s.student_params + s.head_params}")


if __name__ == "__main__":
    main()
