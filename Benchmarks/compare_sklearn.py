#!/usr/bin/env python3
"""scikit-learn's multinomial LogisticRegression on the data `aidj-bench classifier --export FILE` writes
(identical standardized inputs, the same split), for comparison with aidj's softmax classifier.

aidj minimizes mean cross-entropy + (λ/2)‖W‖²; scikit-learn minimizes C·Σ cross-entropy + ½‖W‖², the same
objective for C = 1 / (λ · n). Development only.
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss

data = json.load(open(sys.argv[1]))
x, y = np.array(data["train_x"]), np.array(data["train_y"])
tx, ty = np.array(data["test_x"]), np.array(data["test_y"])
model = LogisticRegression(C=1 / (data["l2"] * len(y)), max_iter=5000, tol=1e-8)
model.fit(x, y)
p = model.predict_proba(tx)
print(f"scikit-learn LogisticRegression: test accuracy {accuracy_score(ty, p.argmax(1)):.4f}, "
      f"log-loss {log_loss(ty, p):.4f}, macro-F1 {f1_score(ty, p.argmax(1), average='macro'):.4f}")
