package org.rpg4j.structured;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Read access to a network's parameter tensors by the names a {@link ChannelSlice} uses. */
@FunctionalInterface
public interface TensorSource {
    /**
     * @param layer layer name
     * @param param parameter key
     * @return the tensor in its logical shape; callers must not modify it
     * @throws IllegalArgumentException if there is no such tensor
     */
    INDArray tensor(String layer, String param);
}
