package org.rpg4j.dl4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.rpg4j.prune.TensorKind;

/**
 * Which DL4J layer configurations hold prunable weights, under which parameter keys and in which
 * layout (immutable; {@link #with} returns an extended copy). A layer configuration is looked up by
 * its own class first, then by each superclass in turn, so a subclass inherits the registration of
 * the nearest registered ancestor; a configuration that implements {@link PrunableWeights}
 * declares its weights itself.
 *
 * <p>The defaults, each verified against the DL4J 1.0.0-M2.1 parameter initialisers:
 * <table>
 *   <caption>default registrations</caption>
 *   <tr><th>configuration</th><th>key</th><th>stored shape (order)</th><th>to output-first</th></tr>
 *   <tr><td>ConvolutionLayer, Convolution1DLayer</td><td>W</td><td>[out, in, kh, kw] (c)</td><td>identity</td></tr>
 *   <tr><td>Convolution3D</td><td>W</td><td>[out, in, kd, kh, kw] (c)</td><td>identity</td></tr>
 *   <tr><td>Deconvolution2D</td><td>W</td><td>[in, out, kh, kw] (c)</td><td>{1, 0, 2, 3}</td></tr>
 *   <tr><td>Deconvolution3D</td><td>W</td><td>[kd, kh, kw, out, in] (c)</td><td>{3, 4, 0, 1, 2}</td></tr>
 *   <tr><td>DepthwiseConvolution2D</td><td>W</td><td>[kh, kw, in, multiplier] (c)</td><td>{2, 3, 0, 1}</td></tr>
 *   <tr><td>SeparableConvolution2D</td><td>W</td><td>[multiplier, in, kh, kw] (c)</td><td>{1, 0, 2, 3}</td></tr>
 *   <tr><td>SeparableConvolution2D</td><td>pW</td><td>[out, in * multiplier, 1, 1] (c)</td><td>identity</td></tr>
 *   <tr><td>DenseLayer, BaseOutputLayer (OutputLayer, ...)</td><td>W</td><td>[nIn, nOut] (f)</td><td>{1, 0}</td></tr>
 * </table>
 * Layers DL4J wraps in another (frozen layers from {@code TransferLearning}, ...) are left dense
 * unless {@link #wrappedLayers(WrappedLayerPolicy)} asks otherwise.
 * Depthwise kernels are grouped by input channel: their rank-loss matrix is
 * {@code [in, multiplier * kh * kw]} (equal to the per-output-channel matrix when the multiplier is 1).
 */
public final class PrunableLayers {
    private static final PrunableLayers DEFAULTS = new PrunableLayers(Map.of())
            .with(ConvolutionLayer.class, WeightSpec.of("W", TensorKind.CONVOLUTION, 0, 1, 2, 3))
            .with(Convolution1DLayer.class, WeightSpec.of("W", TensorKind.CONVOLUTION, 0, 1, 2, 3))
            .with(Convolution3D.class, WeightSpec.of("W", TensorKind.CONVOLUTION, 0, 1, 2, 3, 4))
            .with(Deconvolution2D.class, WeightSpec.of("W", TensorKind.CONVOLUTION, 1, 0, 2, 3))
            .with(Deconvolution3D.class, WeightSpec.of("W", TensorKind.CONVOLUTION, 3, 4, 0, 1, 2))
            .with(DepthwiseConvolution2D.class,
                    WeightSpec.of("W", TensorKind.CONVOLUTION, 2, 3, 0, 1).withoutOutputChannelCheck())
            .with(SeparableConvolution2D.class,
                    WeightSpec.of("W", TensorKind.CONVOLUTION, 1, 0, 2, 3).withoutOutputChannelCheck(),
                    WeightSpec.of("pW", TensorKind.CONVOLUTION, 0, 1, 2, 3))
            .with(DenseLayer.class, WeightSpec.of("W", TensorKind.DENSE, 1, 0))
            .with(BaseOutputLayer.class, WeightSpec.of("W", TensorKind.DENSE, 1, 0));

    private final Map<Class<?>, List<WeightSpec>> specs;
    private final WrappedLayerPolicy wrappedLayers;

    private PrunableLayers(Map<Class<?>, List<WeightSpec>> specs) {
        this(specs, WrappedLayerPolicy.EXCLUDE);
    }

    private PrunableLayers(Map<Class<?>, List<WeightSpec>> specs, WrappedLayerPolicy wrappedLayers) {
        this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(specs));
        this.wrappedLayers = wrappedLayers;
    }

    /**
     * @param policy what to do with wrapped layers (frozen, masked, time-distributed, ...)
     * @return a copy of this registry with that policy
     * @throws IllegalArgumentException if the policy is null
     */
    public PrunableLayers wrappedLayers(WrappedLayerPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("policy must be one of " + java.util.Arrays.toString(
                    WrappedLayerPolicy.values()) + ", got null");
        }
        return new PrunableLayers(specs, policy);
    }

    /** @return what is done with wrapped layers; {@link WrappedLayerPolicy#EXCLUDE} unless set */
    public WrappedLayerPolicy wrappedLayers() {
        return wrappedLayers;
    }

    /** @return the registrations listed in the class documentation */
    public static PrunableLayers defaults() {
        return DEFAULTS;
    }

    /**
     * Registers (or replaces) the prunable weights of a layer configuration class and its subclasses.
     *
     * @param layerClass a DL4J layer configuration class
     * @param weights its prunable weights, at least one, with distinct keys
     * @return a copy of this registry with the registration
     * @throws IllegalArgumentException if the class is null, no weight is given or keys repeat
     */
    public PrunableLayers with(Class<? extends Layer> layerClass, WeightSpec... weights) {
        if (layerClass == null) {
            throw new IllegalArgumentException("layerClass must not be null");
        }
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("weights of " + layerClass.getName() + " must hold at least one "
                    + "WeightSpec, got none");
        }
        List<WeightSpec> list = List.of(weights);
        if (list.stream().map(WeightSpec::paramKey).distinct().count() != list.size()) {
            throw new IllegalArgumentException("weights of " + layerClass.getName() + " must have distinct "
                    + "parameter keys, got " + list);
        }
        Map<Class<?>, List<WeightSpec>> copy = new LinkedHashMap<>(specs);
        copy.put(layerClass, list);
        return new PrunableLayers(copy, wrappedLayers);
    }

    /**
     * @param layer a layer configuration
     * @return its prunable weights: declared by the layer ({@link PrunableWeights}), else those of
     *     the nearest registered class in its hierarchy; empty if none is registered
     */
    public Optional<List<WeightSpec>> weightsOf(Layer layer) {
        if (layer instanceof PrunableWeights declared) {
            return Optional.of(List.copyOf(declared.prunableWeights()));
        }
        for (Class<?> c = layer.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            List<WeightSpec> found = specs.get(c);
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PrunableLayers{");
        specs.forEach((c, s) -> sb.append(c.getSimpleName()).append('=').append(s).append("; "));
        return sb.append("wrappedLayers=").append(wrappedLayers).append('}').toString();
    }
}
