package org.rpg4j.benchmarks.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.CifarModels;
import org.rpg4j.benchmarks.sparse.RpgPrunedWeights;
import org.rpg4j.benchmarks.training.ResNetCifar;
import org.rpg4j.dl4j.deploy.format.SparseModels;
import org.rpg4j.mask.GlobalMagnitudeSelection;
import org.rpg4j.sparse.format.ValuePrecision;

/**
 * File size and write/load time of the sparse model file against DL4J's {@code ModelSerializer}
 * zip (without updater state) of the same network, for VGG-19 and ResNet-56 (CIFAR, standard DL4J
 * layers) pruned by rpg4j's global magnitude selection to 80, 90, 95, 98 and 99 % over all
 * convolution and output-layer weights.
 *
 * <p>The weights are DL4J's He-normal initialisation (no training: the file size depends on the
 * number of stored values and on how their bytes compress, and magnitude-pruned Gaussian weights
 * stand in for trained ones); batch-norm gamma, beta, mean and variance are set to seeded values
 * like trained ones (N(1, 0.1), N(0, 0.1), N(0, 0.1), U(0.5, 1.5)) so that they do not compress
 * better than in a trained network. Each file is written and loaded {@value #REPEATS} times
 * after one warm-up; the median time is reported. Before timing, the loaded float32 network's
 * output is checked bit for bit against the original on one seeded batch.
 *
 * <p>Models {@code VGG19-RPG} and {@code RESNET56-RPG} are the same networks at 95 and 98 % with the
 * weights of an RPG pruning run ({@link RpgPrunedWeights}: RPG's non-uniform per-layer sparsities); their
 * per-layer sparsity at 98 % is printed.
 *
 * <p>Each row also gives the {@link EntropyBound} of the network (an estimate of the smallest lossless
 * float32 file), DL4J's size over it (the largest ratio any such file could reach), and bits per stored
 * value of DL4J's zip, the float32 file and the bound (split into positions and values).
 *
 * <p>Usage: {@code SparseFileSize OUTPUT_DIR [--no-times] [MODEL...]} with models {@code VGG19},
 * {@code RESNET56}, {@code VGG19-RPG}, {@code RESNET56-RPG} (default all four); {@code --no-times} writes
 * each file once and reports no times (NaN). Writes {@code file-size.csv} and prints a table.
 */
public final class SparseFileSize {
    static final int REPEATS = 3;
    private static final double[] SPARSITIES = {0.8, 0.9, 0.95, 0.98, 0.99};
    private static final double[] RPG_SPARSITIES = {0.95, 0.98};

    private SparseFileSize() {}

    /**
     * @param args output directory, then model names
     * @throws IOException if a file cannot be written or read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: SparseFileSize OUTPUT_DIR [VGG19] [RESNET56]");
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        boolean times = !rest.remove("--no-times");
        List<String> models = rest.isEmpty() ? List.of("VGG19", "RESNET56", "VGG19-RPG", "RESNET56-RPG") : rest;
        List<String> rows = new ArrayList<>();
        rows.add("model,sparsity,parameters,stored_values,dl4j_bytes,sparse_f32_bytes,sparse_f16_bytes,bound_bytes,"
                + "ratio_f32,ratio_f16,ratio_bound,dl4j_bits_per_value,f32_bits_per_value,bound_bits_per_value,"
                + "f32_position_bits,bound_position_bits,f32_byte0_bits,bound_byte0_bits,f32_byte1_bits,"
                + "bound_byte1_bits,f32_bytes23_bits,bound_bytes23_bits,dl4j_write_ms,dl4j_load_ms,sparse_write_ms,"
                + "sparse_load_ms,dl4j_positive_zero_bytes");
        PrintStream console = System.out;
        console.printf("%-12s %8s %10s %9s %11s %11s %11s %11s %6s %6s %6s %8s %8s %8s %8s%n", "model", "sparsity",
                "params", "stored", "DL4J B", "f32 B", "f16 B", "bound B", "x f32", "x f16", "x bnd", "DL4J w ms",
                "DL4J l ms", "sp w ms", "sp l ms");
        for (String model : models) {
            for (double sparsity : model.endsWith("-RPG") ? RPG_SPARSITIES : SPARSITIES) {
                ComputationGraph net = prunedNetwork(model, sparsity);
                Row r = measure(net, out.resolve(model), model, sparsity, times);
                EntropyBound.Bits bound = EntropyBound.of(net);
                FileBreakdown paid = FileBreakdown.of(net);
                double perValue = 8.0 / bound.storedValues();
                double[] v = {r.dl4jBytes * perValue, r.f32Bytes * perValue, bound.bytes() * perValue,
                        paid.positions() * perValue, bound.positions() / bound.storedValues(),
                        paid.plane0() * perValue, bound.sparseValues()[0] / bound.storedValues(),
                        paid.plane1() * perValue, bound.sparseValues()[1] / bound.storedValues(),
                        paid.planes23() * perValue, bound.sparseValues()[2] / bound.storedValues()};
                console.printf("%-12s %8.2f %10d %9d %11d %11d %11d %11.0f %6.2f %6.2f %6.2f %8.0f %8.0f %8.0f %8.0f%n",
                        model, sparsity, r.parameters, bound.storedValues(), r.dl4jBytes, r.f32Bytes, r.f16Bytes,
                        bound.bytes(), r.ratio32(), r.ratio16(), r.dl4jBytes / bound.bytes(), r.dl4jWrite, r.dl4jLoad,
                        r.sparseWrite, r.sparseLoad);
                console.printf("%12s bits per stored value: DL4J %.1f, sparse f32 %.1f, bound %.1f; file/bound: "
                        + "positions %.2f/%.2f, byte 0 %.2f/%.2f, byte 1 %.2f/%.2f, bytes 2-3 %.2f/%.2f%n", "", v[0],
                        v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
                console.printf("%12s bytes: dense tensors file %d / bound %.0f, configuration bound %.0f; DL4J zip "
                        + "with -0.0 made +0.0 %d (DL4J / f32 %.2f)%n", "", paid.dense(), bound.denseValues() / 8,
                        bound.configuration() / 8, r.dl4jPositiveZeroBytes,
                        (double) r.dl4jPositiveZeroBytes / r.f32Bytes);
                StringBuilder row = new StringBuilder(String.format("%s,%.2f,%d,%d,%d,%d,%d,%.0f,%.3f,%.3f,%.3f", model,
                        sparsity, r.parameters, bound.storedValues(), r.dl4jBytes, r.f32Bytes, r.f16Bytes,
                        bound.bytes(), r.ratio32(), r.ratio16(), r.dl4jBytes / bound.bytes()));
                for (double x : v) {
                    row.append(String.format(",%.2f", x));
                }
                rows.add(row.append(String.format(",%.1f,%.1f,%.1f,%.1f,%d", r.dl4jWrite, r.dl4jLoad, r.sparseWrite,
                        r.sparseLoad, r.dl4jPositiveZeroBytes)).toString());
            }
            if (model.endsWith("-RPG")) {
                console.println(model + " per-layer sparsity at " + RPG_SPARSITIES[RPG_SPARSITIES.length - 1] + ":");
                console.println(RpgPrunedWeights.perLayerSparsity(
                        prunedNetwork(model, RPG_SPARSITIES[RPG_SPARSITIES.length - 1])));
            }
        }
        Files.write(out.resolve("file-size.csv"), rows, StandardCharsets.UTF_8);
    }

    /**
     * @return the network pruned to {@code sparsity}: global magnitude on seeded weights, or for a model
     *     {@code NAME-RPG} the weights of an RPG pruning run ({@link RpgPrunedWeights}, standard layers)
     */
    private static ComputationGraph prunedNetwork(String model, double sparsity) throws IOException {
        if (model.endsWith("-RPG")) {
            return RpgPrunedWeights.graph(model.substring(0, model.length() - 4), sparsity, false);
        }
        ComputationGraph net = network(model);
        prune(net, sparsity);
        return net;
    }

    static ComputationGraph network(String model) {
        ComputationGraph net = new ComputationGraph(switch (model) {
            case "VGG19" -> CifarModels.of(ModelShapes.VGG19, false);
            case "RESNET56" -> ResNetCifar.resnet(9, ResNetCifar.Layers.STANDARD, 0.1, 42);
            default -> throw new IllegalArgumentException("model must be VGG19 or RESNET56, got " + model);
        });
        net.init();
        Nd4j.getRandom().setSeed(7);
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            INDArray p = e.getValue();
            switch (e.getKey().substring(e.getKey().lastIndexOf('_') + 1)) {
                case "gamma" -> p.assign(Nd4j.randn(DataType.FLOAT, p.shape()).muli(0.1).addi(1));
                case "beta", "mean" -> p.assign(Nd4j.randn(DataType.FLOAT, p.shape()).muli(0.1));
                case "var" -> p.assign(Nd4j.rand(DataType.FLOAT, p.shape()).addi(0.5));
                default -> {
                }
            }
        }
        return net;
    }

    /** Zeroes the smallest-magnitude weights over all weight tensors (keys ending in "_W") together. */
    static void prune(ComputationGraph net, double sparsity) {
        List<INDArray> weights = new ArrayList<>();
        net.paramTable().forEach((k, v) -> {
            if (k.endsWith("_W")) {
                weights.add(v);
            }
        });
        float[][] values = new float[weights.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = weights.get(i).dup('c').data().asFloat();
        }
        boolean[][] keep = GlobalMagnitudeSelection.keepMasks(values, sparsity);
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[i].length; j++) {
                if (!keep[i][j]) {
                    values[i][j] = 0f;
                }
            }
            INDArray w = weights.get(i);
            w.assign(Nd4j.createFromArray(values[i]).reshape('c', w.shape()));
        }
    }

    private static Row measure(ComputationGraph net, Path dir, String model, double sparsity, boolean times)
            throws IOException {
        Files.createDirectories(dir);
        String tag = String.format("%s-%02d", model, Math.round(sparsity * 100));
        Path dl4j = dir.resolve(tag + "-dl4j.zip");
        Path f32 = dir.resolve(tag + "-sparse-f32.zip");
        Path f16 = dir.resolve(tag + "-sparse-f16.zip");
        SparseModels.write(net, f16, ValuePrecision.FLOAT16);
        checkBitIdentical(net, f32);
        Row r = new Row();
        r.parameters = net.numParams();
        if (times) {
            r.dl4jWrite = median(() -> ModelSerializer.writeModel(net, dl4j.toFile(), false));
            r.dl4jLoad = median(() -> ModelSerializer.restoreComputationGraph(dl4j.toFile(), false));
            r.sparseWrite = median(() -> SparseModels.write(net, f32, ValuePrecision.FLOAT32));
            r.sparseLoad = median(() -> SparseModels.load(f32));
        } else {
            ModelSerializer.writeModel(net, dl4j.toFile(), false);
            r.dl4jWrite = r.dl4jLoad = r.sparseWrite = r.sparseLoad = Double.NaN;
        }
        r.dl4jBytes = Files.size(dl4j);
        r.f32Bytes = Files.size(f32);
        r.f16Bytes = Files.size(f16);
        r.dl4jPositiveZeroBytes = positiveZeroDl4jBytes(net, dir.resolve(tag + "-dl4j-positive-zero.zip"));
        return r;
    }

    /**
     * Masking by multiplication leaves -0.0 for pruned negative weights (the sparse file stores them as
     * +0.0), and deflate pays for their sign bits in DL4J's zip: this zip is DL4J's after turning every
     * -0.0 into +0.0 ({@code -0.0 + 0.0 = +0.0}). Modifies the network's parameters that way.
     *
     * @return the size of that zip in bytes
     */
    private static long positiveZeroDl4jBytes(ComputationGraph net, Path file) throws IOException {
        net.params().addi(0.0f);
        ModelSerializer.writeModel(net, file.toFile(), false);
        return Files.size(file);
    }

    private static void checkBitIdentical(ComputationGraph net, Path file) throws IOException {
        SparseModels.write(net, file, ValuePrecision.FLOAT32);
        ComputationGraph loaded = SparseModels.loadComputationGraph(file);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        float[] a = net.outputSingle(false, x).data().asFloat();
        float[] b = loaded.outputSingle(false, x).data().asFloat();
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                throw new IllegalStateException("loaded output " + i + " is " + b[i] + ", expected exactly " + a[i]);
            }
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    /** @return the median wall time in ms of {@value #REPEATS} runs after one warm-up run */
    private static double median(Action action) throws IOException {
        action.run();
        double[] ms = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            action.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[REPEATS / 2];
    }

    private static final class Row {
        long parameters;
        long dl4jBytes;
        long f32Bytes;
        long f16Bytes;
        long dl4jPositiveZeroBytes;
        double dl4jWrite;
        double dl4jLoad;
        double sparseWrite;
        double sparseLoad;

        double ratio32() {
            return (double) dl4jBytes / f32Bytes;
        }

        double ratio16() {
            return (double) dl4jBytes / f16Bytes;
        }
    }
}
