package org.rpg4j.dl4j.hooks;

import java.util.Objects;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Base of the rpg4j hooks: carries the owning layer's name (the only serialised field) and a
 * transient binding to the runtime. {@link #score} is always 0 (DL4J calls it every iteration);
 * {@link #clone()} returns an unbound copy and a deserialised hook is unbound, so a cloned or
 * deserialised network cannot train with stale masks. A network built from the same configuration
 * object shares the bound hooks themselves; they refuse parameters that are not their network's.
 */
public abstract class RpgRegularization implements Regularization {
    private static final long serialVersionUID = 1L;

    @JsonProperty("layerName")
    private String layerName;
    private transient LayerHooks hooks;

    /** For JSON deserialisation. */
    protected RpgRegularization() {}

    /**
     * @param layerName the name of the layer this hook belongs to
     */
    protected RpgRegularization(String layerName) {
        this.layerName = layerName;
    }

    /** @return the name of the layer this hook belongs to */
    public final String layerName() {
        return layerName;
    }

    /**
     * Binds this hook to the runtime that does its work (null unbinds it).
     *
     * @param target the runtime, or null to unbind
     */
    public final void bind(LayerHooks target) {
        this.hooks = target;
    }

    /** @return true when bound to a runtime */
    public final boolean bound() {
        return hooks != null;
    }

    /** @return the network the bound runtime prunes, or null if this hook is not bound */
    public final Object boundNetwork() {
        LayerHooks h = hooks;
        return h == null ? null : h.network();
    }

    /** @return the bound runtime; throws if this hook is not bound */
    protected final LayerHooks hooks() {
        LayerHooks h = hooks;
        if (h == null) {
            throw new IllegalStateException("layer '" + layerName + "' carries rpg4j pruning hooks that are not "
                    + "attached to a pruner (the network was cloned, deserialised or loaded with ModelSerializer). "
                    + "Load it with Dl4jPruning.restore(file) to continue pruning, or call Pruning.finish() before "
                    + "saving a network you want to train without rpg4j");
        }
        return h;
    }

    /** @return an unbound copy for the same layer */
    @Override
    public abstract Regularization clone();

    @Override
    public final double score(org.nd4j.linalg.api.ndarray.INDArray param, int iteration, int epoch) {
        return 0.0;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Objects.equals(layerName, ((RpgRegularization) o).layerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass().getName(), layerName);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + layerName + ")";
    }
}
