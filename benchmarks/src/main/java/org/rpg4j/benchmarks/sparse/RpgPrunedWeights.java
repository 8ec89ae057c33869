package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.CifarModels;
import org.rpg4j.benchmarks.training.ResNetCifar;
import org.rpg4j.dl4j.Dl4jPruning;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.prune.PruningConfig;

/**
 * RPG-pruned VGG-19 and ResNet-56 (CIFAR shapes) for the deployment benchmarks: the network is trained
 * for {@value #ITERATIONS} iterations on synthetic CIFAR-shaped data while rpg4j's pruner (RPG defaults:
 * global budget, exponential schedule, gradient regrowth, rank loss) takes it to the target sparsity with
 * a pruning update every {@value #DELTA_T} iterations, then {@code finish()}. So the per-layer sparsities
 * are those RPG's global selection gives (non-uniform), not a uniform random mask. The reference cadence
 * ({@code deltaT} = 100 over a full training run) would take hours per network on the shared 2-core
 * machine these benchmarks were written on; the short run keeps RPG's selection, not its training.
 *
 * <p>Data: inputs N(0, 1) of shape [{@value #BATCH}, 3, 32, 32], a fresh seeded batch per iteration;
 * label = argmax of a fixed seeded random linear map of the input (a learnable task, so gradients and
 * the rank loss carry signal). The weights are not those of a CIFAR-10-trained network: only the mask
 * distribution is RPG's.
 *
 * <p>The flat parameter vector is saved once under {@code DIR/<model>-<percent>.bin} (DIR from the
 * system property {@code rpg4j.prunedDir}, default {@code benchmarks/target/rpg-pruned}) and reused.
 * Usage to pre-generate: {@code RpgPrunedWeights MODEL PERCENT...}.
 */
public final class RpgPrunedWeights {
    /** Training iterations of a pruning run. */
    static final int ITERATIONS = 48;
    /** Images per iteration. */
    static final int BATCH = 4;
    /** Iterations between pruning updates: 5 updates before the ramp ends at 90 % of the run. */
    static final int DELTA_T = 8;

    private RpgPrunedWeights() {}

    /**
     * @param args model ({@code VGG19}, {@code RESNET56}) then sparsities in percent
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        for (int i = 1; i < args.length; i++) {
            ComputationGraph net = graph(args[0], Integer.parseInt(args[i]) / 100.0, true);
            System.out.println(perLayerSparsity(net));
        }
    }

    /**
     * @param model {@code VGG19} or {@code RESNET56}
     * @param sparsity target sparsity, 0.95 or 0.98 in the benchmarks
     * @param fast whether the returned graph uses rpg4j's fast layers (the saved weights are the same)
     * @return an initialised graph with the RPG-pruned parameters
     * @throws IOException if the saved weights cannot be read or written
     */
    public static ComputationGraph graph(String model, double sparsity, boolean fast) throws IOException {
        Path file = directory().resolve(String.format("%s-%02d.bin", model, Math.round(sparsity * 100)));
        if (!Files.exists(file)) {
            ComputationGraph trained = prune(model, sparsity);
            Files.createDirectories(file.getParent());
            Nd4j.saveBinary(trained.params(), file.toFile());
            Files.writeString(layoutFile(file), layout(trained));
        }
        ComputationGraph net = new ComputationGraph(configuration(model, fast));
        net.init();
        INDArray params = Nd4j.readBinary(file.toFile());
        // the fast and the standard layers must lay out the flat vector alike (same names, shapes, order)
        Path layoutFile = layoutFile(file);
        if (params.length() != net.numParams() || !Files.exists(layoutFile)
                || !Files.readString(layoutFile).equals(layout(net))) {
            throw new IllegalStateException(file + " does not match the parameter layout of " + model
                    + (fast ? " (fast layers)" : " (standard layers)") + "; delete it to regenerate it");
        }
        net.setParams(params.reshape(1, params.length()));
        return net;
    }

    /**
     * @param net a graph with a {@code [batch, 3, 32, 32]} input
     * @return one line per weight tensor ({@code name, size, sparsity}), the total, and the multiply-add
     *     density: kept multiply-adds per image over dense ones (a weight of a convolution counts once per
     *     output position), whose inverse bounds the speed-up any kernel can get from the zeros alone
     */
    public static String perLayerSparsity(ComputationGraph net) {
        Map<String, INDArray> activations = net.feedForward(Nd4j.zeros(DataType.FLOAT, 1, 3, 32, 32), false);
        StringBuilder out = new StringBuilder();
        long zeros = 0;
        long total = 0;
        double keptMacs = 0;
        double denseMacs = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            if (e.getKey().endsWith("_W")) {
                INDArray w = e.getValue();
                long z = w.length() - w.neq(0.0).castTo(DataType.INT32).sumNumber().longValue();
                zeros += z;
                total += w.length();
                long positions = outputPositions(activations.get(e.getKey().substring(0, e.getKey().length() - 2)));
                keptMacs += (double) (w.length() - z) * positions;
                denseMacs += (double) w.length() * positions;
                out.append(String.format("  %-16s %9d weights  sparsity %.4f%n", e.getKey(), w.length(),
                        (double) z / w.length()));
            }
        }
        return out.append(String.format("  all weights      %9d weights  sparsity %.4f%n", total,
                (double) zeros / total))
                .append(String.format("  multiply-add density %.4f: the zeros alone allow at most %.2fx", keptMacs
                        / denseMacs, denseMacs / keptMacs)).toString();
    }

    /** @return output positions per image: h * w of a {@code [1, c, h, w]} activation, 1 for {@code [1, n]} */
    private static long outputPositions(INDArray activation) {
        if (activation == null) {
            throw new IllegalStateException("no activation for a weight tensor's layer; vertex names changed?");
        }
        return activation.rank() == 4 ? activation.size(2) * activation.size(3) : 1;
    }

    private static ComputationGraph prune(String model, double sparsity) {
        ComputationGraph net = new ComputationGraph(configuration(model, true));
        net.init();
        Pruning pruning = Dl4jPruning.attach(net, PruningConfig.builder(sparsity, ITERATIONS).deltaT(DELTA_T)
                .build());
        Nd4j.getRandom().setSeed(11);
        INDArray teacher = Nd4j.randn(DataType.FLOAT, 3 * 32 * 32, 10);
        long start = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) {
            net.fit(batch(teacher));
            if ((i + 1) % DELTA_T == 0) {
                System.out.printf("%s %.2f: iteration %d of %d, score %.3f, %.0f s%n", model, sparsity, i + 1,
                        ITERATIONS, net.score(), (System.nanoTime() - start) / 1e9);
            }
        }
        pruning.finish();
        return net;
    }

    private static Path layoutFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".layout");
    }

    /** @return one line per parameter tensor, in the flat vector's order: name and shape */
    private static String layout(ComputationGraph net) {
        StringBuilder out = new StringBuilder();
        net.paramTable().forEach((name, p) -> out.append(name).append(' ')
                .append(Arrays.toString(p.shape())).append('\n'));
        return out.toString();
    }

    private static DataSet batch(INDArray teacher) {
        INDArray x = Nd4j.randn(DataType.FLOAT, BATCH, 3, 32, 32);
        INDArray classes = x.reshape(BATCH, 3 * 32 * 32).mmul(teacher).argMax(1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, 10);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, classes.getInt(i), 1f);
        }
        return new DataSet(x, labels);
    }

    private static ComputationGraphConfiguration configuration(String model, boolean fast) {
        return switch (model) {
            case "VGG19" -> CifarModels.of(ModelShapes.VGG19, fast);
            case "RESNET56" -> ResNetCifar.resnet(9, fast ? ResNetCifar.Layers.FAST : ResNetCifar.Layers.STANDARD,
                    0.1, 42);
            default -> throw new IllegalArgumentException("model must be VGG19 or RESNET56, got " + model);
        };
    }

    private static Path directory() {
        return Path.of(System.getProperty("rpg4j.prunedDir", "benchmarks/target/rpg-pruned"));
    }
}
