"""The lean NumPy reference of `./nn bench --net simple-convnet`: the book's SimpleConvNet step
(reference_convnet.py: ch07/simple_convnet.py on the book's im2col/col2im, Pooling, Relu, Affine and Adam,
all of them reused from there unchanged) doing exactly the arithmetic of the library's step
(org.nnjava.train.TrainingStep on the SimpleConvNet with Adam), and nothing else. Two things differ from the
book-style reference, both where the book does work the library does not:

  - the first convolution's backward computes dW and db only: not the input gradient dcol = dout . col_W^T and
    its col2im, which nothing uses (the library's Network.gradient skips the first layer's dx);
  - the loss is the library's SoftmaxWithLoss: -(1/N) sum t * log_softmax(x), as reference_lean.py computes it,
    not the book's -sum(log(y + 1e-7)) / N. The probabilities y, and so the backward (y - t) / N, are the
    book's softmax, value for value.

So the parameter gradients, and the parameters after every step, are the book-style reference's exactly; only
the reported loss differs, by the book's 1e-7 inside the log.
"""
import numpy as np

import reference_convnet as book
from reference_lean import _loss


class Convolution(book.Convolution):
    """The book's Convolution whose backward stops at dW and db (the first layer's, whose dx nothing uses)."""

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout).transpose(1, 0).reshape(FN, C, FH, FW)
        return None


class SoftmaxWithLoss(book.SoftmaxWithLoss):
    """The loss through log-softmax (the library's); y = exp(z) / sum exp(z) as the book's softmax gives it."""

    def forward(self, x, t):
        self.t = t
        self.loss, e, s = _loss(x, t)
        self.y = e / s
        return self.loss


class SimpleConvNet(book.SimpleConvNet):
    """The book's network with the two layers above; its gradient runs the same backward chain."""

    def __init__(self, params, conv_param=None):
        super().__init__(params, conv_param)
        conv = self.layers['Conv1']
        self.layers['Conv1'] = Convolution(conv.W, conv.b, conv.stride, conv.pad)
        self.last_layer = SoftmaxWithLoss()


class Step(book.Step):
    """The book-style step (the trainer's gather, gradient, Adam update and loss) on the lean network."""

    def __init__(self, x_train, t_train, params, learning_rate):
        super().__init__(x_train, t_train, params, learning_rate)
        self.network = SimpleConvNet({k: params[k].copy() for k in book.KEYS})
