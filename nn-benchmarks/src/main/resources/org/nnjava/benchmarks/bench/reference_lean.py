"""The lean NumPy reference of `./nn bench`: exactly the arithmetic of the library's training step
(org.nnjava.train.TrainingStep on TwoLayerNet with SGD), written directly in NumPy as a competent user
would, and nothing else:

  gather the batch; forward x.W1 + b1, ReLU, h.W2 + b2; the loss through log-softmax (as the library's
  SoftmaxWithLoss, which computes it in Network.gradient's forward pass too); backward (y - t) / N,
  dW2 = h^T.dy, db2, dh = dy.W2^T, the ReLU mask, dW1 = x^T.dh, db1 (no dx for the first layer, which
  nothing uses: the library skips it); SGD; and the loss after the update, a second forward pass.

Where the book-style reference (reference_book.py) computes the loss as -sum(log(y + 1e-7)) / N, this
one uses log-softmax as the library does, so that the two sides' losses can be compared to 1e-9.
"""
import numpy as np


def _loss(scores, t):
    """-(1/N) sum t * log_softmax(scores): the library's SoftmaxWithLoss.forward, and the shifted exp."""
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    return -np.sum(t * (z - np.log(s))) / scores.shape[0], e, s


class Step:
    def __init__(self, x_train, t_train, params, learning_rate):
        self.x = x_train
        self.t = t_train
        self.W1, self.b1, self.W2, self.b2 = (params[k].copy() for k in ('W1', 'b1', 'W2', 'b2'))
        self.lr = learning_rate
        self.last = ()

    def step(self, rows):
        x, t = self.x[rows], self.t[rows]
        W1, b1, W2, b2, lr = self.W1, self.b1, self.W2, self.b2, self.lr
        a = x @ W1
        a += b1
        h = np.maximum(a, 0)
        scores = h @ W2
        scores += b2
        _, e, s = _loss(scores, t)
        dy = (e / s - t) / x.shape[0]
        dW2 = h.T @ dy
        db2 = dy.sum(axis=0)
        dh = dy @ W2.T
        dh[a <= 0] = 0
        dW1 = x.T @ dh
        db1 = dh.sum(axis=0)
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
        a = x @ W1
        a += b1
        scores = np.maximum(a, 0) @ W2
        scores += b2
        self.last = (dW1, db1, dW2, db2, scores)
        return _loss(scores, t)[0]

    def dtypes(self):
        """The dtypes the last step computed in: its gradients and its scores."""
        return sorted({str(a.dtype) for a in self.last})
