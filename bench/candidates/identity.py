"""The transport bench's identity candidate: returns a copy of its input, so a round trip through the worker
measures the harness's own cost (frames, pipes, copies, the mutation check) with almost no candidate compute."""


def identity(x):
    return x.copy()
