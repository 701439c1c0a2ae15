package org.nnjava.layer;

/**
 * A layer that can write its outputs and gradients into buffers it reuses across passes (see
 * {@link Workspace}). {@link org.nnjava.net.Network#reuseBuffers} switches every such layer of a network.
 */
public interface BufferReuse {

    /**
     * Turns buffer reuse on or off for the next passes. With it on, the tensors this layer returns
     * (and its {@code grads()}) are overwritten by its next pass.
     *
     * @param reuse whether to hand back the layer's own buffers
     */
    void reuseBuffers(boolean reuse);
}
