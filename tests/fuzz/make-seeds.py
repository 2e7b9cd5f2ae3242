#!/usr/bin/env python3
"""Writes the hand-made part of the fuzz seed corpus (tests/fuzz/corpus): tiny valid IDX files
(plain and gzip), configs, CIFAR records and PNG images. Deterministic; the database and JPEG
seeds are written by the fuzz build's own tools (see docs/fuzzing.md). Usage: make-seeds.py"""
import gzip
import json
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def idx(dims, payload):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + bytes(payload)


# IDX: images [2, 4, 4] and labels [2], plain and gzip (mtime 0 keeps the bytes stable).
images = idx([2, 4, 4], [(i * 17) % 256 for i in range(32)])
labels = idx([2], [3, 7])
write("idx_reader", "images-2x4x4", images)
write("idx_reader", "labels-2", labels)
write("idx_reader", "images-2x4x4.gz", gzip.compress(images, mtime=0))
write("idx_reader", "labels-2.gz", gzip.compress(labels, mtime=0))
write("idx_reader", "header-claims-more", idx([60000, 28, 28], [0] * 8))

# Configs: the default as the program writes it, a minimal one, and each nested object.
full = {
    "name": "LeNet-5 · global magnitude 90 %", "model": "lenet5",
    "dataset": {"name": "fashion-mnist", "directory": "/usr/share/datasets/fashion-mnist",
                "validation_fraction": 0.1, "train_limit": 0, "test_limit": 0, "cifar_labels": "fine",
                "test_fraction": 0.2, "resize": 0, "unreadable_images": "fail"},
    "dense_training": {"epochs": 10, "batch_size": 128, "optimizer": "sgd", "learning_rate": 0.05,
                       "momentum": 0.9, "nesterov": True, "weight_decay": 0.0005, "schedule": "cosine",
                       "step_epochs": 5, "step_gamma": 0.1, "augment": False},
    "method": "global_magnitude", "method_params": {"sparsity": 0.9},
    "fine_tuning": {"epochs": 3, "batch_size": 128, "optimizer": "adam", "learning_rate": 0.01,
                    "momentum": 0.9, "nesterov": True, "weight_decay": 0.0005, "schedule": "step",
                    "step_epochs": 5, "step_gamma": 0.1, "augment": True},
    "seed": 42, "threads": 0, "use_dense_cache": True, "cache_directory": "", "latency_repeats": 30,
    "bn_recalibration_batches": 20,
}
write("config", "default.json", json.dumps(full, indent=2, ensure_ascii=False).encode())
write("config", "minimal.json", b'{"model": "resnet20", "seed": 7}\n')
write("config", "params.json",
      json.dumps({"method": "nm_sparsity", "method_params": {"n": 2, "m": 4, "structured": False, "criterion": "l1"},
                  "dataset": {"name": "image-folder", "directory": "/tmp/x", "resize": 32,
                              "unreadable_images": "skip", "cifar_labels": "coarse"}}).encode())
write("config", "recipe.json", b'{"dense_training": {"epochs": 1, "learning_rate": 1e-3}, "fine_tuning": {}}')

# CIFAR: one CIFAR-10 record (label, 3x32x32), one and two CIFAR-100 records (coarse, fine, image).
pixels = bytes((i * 7) % 256 for i in range(3072))
write("cifar", "cifar10-1-record", bytes([3]) + pixels)
write("cifar", "cifar100-1-record", bytes([4, 21]) + pixels)
write("cifar", "cifar100-2-records", bytes([4, 21]) + pixels + bytes([19, 99]) + pixels[::-1])


def png(width, height, colour_type, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


# PNG: grey 4x4, RGB 3x2, grey+alpha 2x2.
write("image_file", "grey-4x4.png", png(4, 4, 0, [bytes((x * 60 + y) % 256 for x in range(4)) for y in range(4)]))
write("image_file", "rgb-3x2.png", png(3, 2, 2, [bytes((x * 40 + c * 80 + y) % 256 for x in range(3) for c in range(3))
                                                  for y in range(2)]))
write("image_file", "grey-alpha-2x2.png", png(2, 2, 4, [bytes([10, 255, 200, 128]), bytes([0, 0, 90, 255])]))
