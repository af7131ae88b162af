"""One training step of DeepLabv3+ in plain PyTorch: the twin of org.semiseg.model.bench.StepBench.

The network mirrors org.semiseg.model (width 1.0): torchvision ResNet (v1.5 bottleneck, dilation as
replace_stride_with_dilation), ASPP (1x1, three 3x3 atrous, image pooling; BN+ReLU each; concat; 1x1 projection
+ BN + ReLU, no dropout), decoder (layer1 -> 1x1 to 48 ch; upsampled ASPP output first in the concat; two 3x3 convs
+ BN + ReLU), 1x1 classifier with bias, bilinear upsampling (align_corners=False) to the input size.
Usage: python3 torch_step.py key=value ... (backbone, os, classes, batch, size, warmup, steps, threads)
"""
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


def conv_bn_relu(cin, cout, k, dilation=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=dilation * (k - 1) // 2, dilation=dilation, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU())


class Aspp(nn.Module):
    def __init__(self, cin, c, os):
        super().__init__()
        scale = 16 // os
        self.branches = nn.ModuleList([conv_bn_relu(cin, c, 1)] +
                                      [conv_bn_relu(cin, c, 3, 6 * i * scale) for i in (1, 2, 3)])
        self.pool = conv_bn_relu(cin, c, 1)
        self.project = conv_bn_relu(5 * c, c, 1)

    def forward(self, x):
        parts = [b(x) for b in self.branches]
        pooled = self.pool(F.adaptive_avg_pool2d(x, 1))
        parts.append(pooled.expand(-1, -1, x.shape[2], x.shape[3]))
        return self.project(torch.cat(parts, 1))


class DeepLabV3Plus(nn.Module):
    def __init__(self, backbone, os, classes):
        super().__init__()
        dilate = [False, True, True] if os == 8 else [False, False, True]
        r = getattr(torchvision.models, backbone)(replace_stride_with_dilation=dilate)
        self.stem = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool)
        self.layer1, self.layer2, self.layer3, self.layer4 = r.layer1, r.layer2, r.layer3, r.layer4
        expansion = 4 if backbone in ("resnet50", "resnet101") else 1
        self.aspp = Aspp(512 * expansion, 256, os)
        self.reduce = conv_bn_relu(64 * expansion, 48, 1)
        self.fuse1 = conv_bn_relu(256 + 48, 256, 3)
        self.fuse2 = conv_bn_relu(256, 256, 3)
        self.classifier = nn.Conv2d(256, classes, 1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        low = self.layer1(self.stem(x))
        high = self.layer4(self.layer3(self.layer2(low)))
        context = self.aspp(high)
        up = F.interpolate(context, size=low.shape[2:], mode="bilinear", align_corners=False)
        features = self.fuse2(self.fuse1(torch.cat([up, self.reduce(low)], 1)))
        logits = self.classifier(features)
        return F.interpolate(logits, size=x.shape[2:], mode="bilinear", align_corners=False), features


def main():
    a = dict(arg.split("=", 1) for arg in sys.argv[1:])
    backbone = a.get("backbone", "resnet50")
    os_ = int(a.get("os", 16))
    classes = int(a.get("classes", 21))
    batch, size = int(a.get("batch", 4)), int(a.get("size", 256))
    warmup, steps = int(a.get("warmup", 3)), int(a.get("steps", 10))
    torch.set_num_threads(int(a.get("threads", 2)))
    torch.manual_seed(0)

    net = DeepLabV3Plus(backbone, os_, classes).train()
    params = [p for p in net.parameters() if p.requires_grad]
    count = sum(p.numel() for p in params)
    everything = count + sum(b.numel() for n, b in net.named_buffers() if not n.endswith("num_batches_tracked"))
    print(f"torch {torch.__version__}: deeplabv3plus {backbone} os{os_} threads={torch.get_num_threads()} "
          f"trainable_params={count} all_params_incl_bn_stats={everything}")
    try:  # Debian's torch uses the system libblas.so.3; reference BLAS there is ~30x slower than OpenBLAS
        import os
        print("torch BLAS: libblas.so.3 ->", os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"))
    except OSError:
        pass
    opt = torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=1e-4)

    x = torch.randn(batch, 3, size, size)
    labels = torch.randint(0, classes, (batch, size, size))
    labels[torch.rand(labels.shape) < 0.1] = 255

    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        logits, _ = net(x)
        loss = F.cross_entropy(logits, labels, ignore_index=255)
        value = loss.item()
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        opt.zero_grad(set_to_none=False)
        t3 = time.perf_counter()
        elapsed = (t3 - t0) * 1000
        if i >= warmup:
            times.append(elapsed)
        print(f"torch step {i}{' (warm-up)' if i < warmup else ''} {elapsed:.1f} ms loss {value:.4f} "
              f"(forward+loss {(t1 - t0) * 1000:.0f}, backward {(t2 - t1) * 1000:.0f}, sgd {(t3 - t2) * 1000:.0f})", flush=True)
    print(f"RESULT torch median_ms={statistics.median(times):.1f} params={count}")


if __name__ == "__main__":
    main()
