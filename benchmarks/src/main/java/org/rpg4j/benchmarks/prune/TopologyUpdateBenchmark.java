package org.rpg4j.benchmarks.prune;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.models.SyntheticWeights;
import org.rpg4j.mask.GlobalMagnitudeSelection;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.regrow.LayerInput;
import org.rpg4j.regrow.TopologyUpdate;
import org.rpg4j.regrow.UpdateRequest;

/**
 * One topology update on rpg-core's primitive entry point, for the prunable tensors of ResNet-20
 * (22 tensors, 270,896 weights) and ResNet-50 (54 tensors, 25,502,912 weights).
 *
 * <p>State: mid-ramp. Masks from an earlier prune to density 0.5 (masked weights 0); this update
 * re-thresholds to density 0.4 with drop fraction 0.2 and gradient regrowth, one global threshold
 * (the reference recipe). Timed region: building the {@link UpdateRequest} (its input checks) and
 * one {@link TopologyUpdate#apply}: the global magnitude selection, per-layer drop and grow
 * (parallel over layers), the weight-keep masks.
 * Nothing passed in is modified, so every call does the same work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TopologyUpdateBenchmark {

    static final double PREVIOUS_DENSITY = 0.5;
    static final double DENSITY = 0.4;
    static final double DROP_FRACTION = 0.2;

    @Param({"RESNET20", "RESNET50"})
    public ModelShapes model;

    private float[][] weights;
    private boolean[][] masks;
    private float[][] gradients;
    private long[][] shapes;

    @Setup(Level.Trial)
    public void setUp() {
        List<long[]> list = model.tensors();
        shapes = list.toArray(new long[0][]);
        weights = new float[shapes.length][];
        gradients = new float[shapes.length][];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < shapes.length; i++) {
            weights[i] = SyntheticWeights.flat(shapes[i], 0.0, 100 + i);
            gradients[i] = new float[weights[i].length];
            for (int j = 0; j < gradients[i].length; j++) {
                gradients[i][j] = (float) (1e-2 * random.nextGaussian());
            }
        }
        masks = GlobalMagnitudeSelection.keepMasks(weights, 1.0 - PREVIOUS_DENSITY);
        for (int i = 0; i < shapes.length; i++) {
            for (int j = 0; j < weights[i].length; j++) {
                weights[i][j] = masks[i][j] ? weights[i][j] : 0f;
            }
        }
    }

    @Benchmark
    public void apply(Blackhole blackhole) {
        List<LayerInput> layers = new ArrayList<>(weights.length);
        for (int i = 0; i < weights.length; i++) {
            layers.add(new LayerInput("t" + i, weights[i], masks[i], gradients[i], shapes[i], 1.0));
        }
        blackhole.consume(TopologyUpdate.apply(UpdateRequest.threshold(layers, DENSITY, DROP_FRACTION,
                RegrowthKind.GRADIENT.regrowth(), new SplittableRandom(1), LayerBudget.GLOBAL)));
    }
}
