package org.rpg4j.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.PrunerState;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.TensorKind;

/**
 * A read-only copy of the driver's pruner for the executors, shipped with a round when the rank
 * loss is on: its configuration (JSON), its state (masks, last truncation ranks) and its tensors.
 * Each task rebuilds a {@link Pruner} from it to compute the rank-loss gradient; the executors never
 * change masks.
 */
final class ExecutorPruner implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String configJson;
    private final byte[] state;
    private final ArrayList<Spec> tensors = new ArrayList<>();

    /** One tensor's description, in serialisable form. */
    private record Spec(String name, String layerType, TensorKind kind, long[] shape, DataType dataType,
                        int[] outputFirstAxes, double maxSparsity) implements Serializable {}

    /**
     * @param pruner the driver's pruner; not modified
     * @throws UncheckedIOException if its state cannot be written
     */
    ExecutorPruner(Pruner pruner) {
        this.configJson = pruner.config().toJson();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            pruner.state().write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.state = bytes.toByteArray();
        for (PrunableTensor t : pruner.tensors()) {
            tensors.add(new Spec(t.name(), t.layerType(), t.kind(), t.shape(), t.dataType(), t.outputFirstAxes(),
                    t.maxSparsity()));
        }
    }

    /** @return a pruner with the driver's configuration and state at the time of the round */
    Pruner restore() {
        List<PrunableTensor> list = new ArrayList<>();
        for (Spec s : tensors) {
            list.add(new PrunableTensor(s.name(), s.layerType(), s.kind(), s.shape(), s.dataType(),
                    s.outputFirstAxes(), s.maxSparsity()));
        }
        try {
            return Pruner.restore(PruningConfig.fromJson(configJson), list,
                    PrunerState.read(new ByteArrayInputStream(state)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
