"""The PyTorch reference of `./nn bench`: the same network, initial weights, data, minibatches and SGD
as the library's step, written as a PyTorch user would (nn.Sequential of Linear, ReLU, Linear;
F.cross_entropy; optim.SGD), on the CPU. Autograd computes no gradient for the input batch, so the work
equals the library's step: forward, backward without dx for the first layer, update, loss after it.
"""
import numpy as np
import torch
import torch.nn.functional as F


class Step:
    def __init__(self, x_train, t_train, params, learning_rate):
        dtype = torch.float64 if x_train.dtype == np.float64 else torch.float32
        self.x = torch.from_numpy(x_train)
        self.labels = torch.from_numpy(t_train.argmax(axis=1).astype(np.int64))
        hidden = params['W1'].shape[1]
        self.model = torch.nn.Sequential(torch.nn.Linear(x_train.shape[1], hidden), torch.nn.ReLU(),
                                         torch.nn.Linear(hidden, t_train.shape[1])).to(dtype)
        with torch.no_grad():  # Linear keeps W transposed: [out, in]
            self.model[0].weight.copy_(torch.from_numpy(params['W1'].T.copy()))
            self.model[0].bias.copy_(torch.from_numpy(params['b1']))
            self.model[2].weight.copy_(torch.from_numpy(params['W2'].T.copy()))
            self.model[2].bias.copy_(torch.from_numpy(params['b2']))
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=learning_rate)
        self.scores = None

    def step(self, rows):
        index = torch.from_numpy(rows.astype(np.int64))
        x = self.x.index_select(0, index)
        t = self.labels.index_select(0, index)
        self.optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(self.model(x), t).backward()
        self.optimizer.step()
        with torch.no_grad():
            self.scores = self.model(x)
            return F.cross_entropy(self.scores, t).item()

    def dtypes(self):
        arrays = [p.grad for p in self.model.parameters()] + [self.scores]
        return sorted({str(a.dtype).replace('torch.', '') for a in arrays})


def version():
    return torch.__version__, torch.get_num_threads()
