"""The book-style NumPy reference of `./nn bench`: the training step as Deep Learning from Scratch
writes it (chapter 5.7: ch05/two_layer_net.py and ch05/train_neuralnet.py, on common/layers.py and
common/functions.py). Written here from the book's description, not copied: Affine, Relu and
SoftmaxWithLoss as classes, a TwoLayerNet keeping them in an OrderedDict, and the training loop's body:
gather a minibatch, backpropagate (which, as the book's Affine.backward does, also computes the first
layer's input gradient dout . W1^T that nothing uses), update by SGD, and compute the loss.

Departures, each so that the comparison is of equal work: every array is created in the dtype asked
for (the book's parameters are always float64); the weights, data and minibatch indices are handed
over by the benchmark (see bench_server.py) instead of drawn from np.random, so that the losses can be
compared with the Java step's.
"""
from collections import OrderedDict

import numpy as np


# ---- common/functions.py ------------------------------------------------------------------------

def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:  # one-hot labels to class indices
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


# ---- common/layers.py ---------------------------------------------------------------------------

class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:  # one-hot labels
            return (self.y - self.t) / batch_size
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx / batch_size


# ---- ch05/two_layer_net.py ----------------------------------------------------------------------

class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, dtype=np.float64):
        self.params = {}
        self.params['W1'] = (weight_init_std * np.random.randn(input_size, hidden_size)).astype(dtype)
        self.params['b1'] = np.zeros(hidden_size, dtype=dtype)
        self.params['W2'] = (weight_init_std * np.random.randn(hidden_size, output_size)).astype(dtype)
        self.params['b2'] = np.zeros(output_size, dtype=dtype)

        self.layers = OrderedDict()
        self.layers['Affine1'] = Affine(self.params['W1'], self.params['b1'])
        self.layers['Relu1'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W2'], self.params['b2'])
        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        y = self.predict(x)
        return self.lastLayer.forward(y, t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)
        grads = {}
        grads['W1'], grads['b1'] = self.layers['Affine1'].dW, self.layers['Affine1'].db
        grads['W2'], grads['b2'] = self.layers['Affine2'].dW, self.layers['Affine2'].db
        return grads


# ---- the step of ch05/train_neuralnet.py, for the benchmark -------------------------------------

class Step:
    """One iteration of train_neuralnet.py's loop on given indices instead of np.random.choice."""

    def __init__(self, x_train, t_train, params, learning_rate):
        dtype = x_train.dtype
        hidden = params['W1'].shape[1]
        self.network = TwoLayerNet(input_size=x_train.shape[1], hidden_size=hidden,
                                   output_size=t_train.shape[1], dtype=dtype)
        for key in ('W1', 'b1', 'W2', 'b2'):  # in place: the layers hold these arrays
            self.network.params[key][...] = params[key]
        self.x_train = x_train
        self.t_train = t_train
        self.learning_rate = learning_rate
        self.grad = None

    def step(self, batch_mask):
        x_batch = self.x_train[batch_mask]
        t_batch = self.t_train[batch_mask]
        grad = self.network.gradient(x_batch, t_batch)
        for key in ('W1', 'b1', 'W2', 'b2'):
            self.network.params[key] -= self.learning_rate * grad[key]
        self.grad = grad
        return self.network.loss(x_batch, t_batch)

    def dtypes(self):
        """The dtypes the last step computed in: its gradients and its loss layer's probabilities."""
        arrays = list(self.grad.values()) + [self.network.lastLayer.y]
        return sorted({str(a.dtype) for a in arrays})
