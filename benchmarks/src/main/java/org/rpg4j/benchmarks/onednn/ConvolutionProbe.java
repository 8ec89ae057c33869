package org.rpg4j.benchmarks.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_RUNTIME_OMP;
import static org.bytedeco.dnnl.global.dnnl.dnnl_version;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.dnnl.dnnl_version_t;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.dl4j.layers.onednn.OneDnnConvolution;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * Per-shape convolution forward and backward time: libnd4j's {@code conv2d}/{@code conv2d_bp} (as
 * rpg4j's fast convolution layer calls them), oneDNN primitives called directly and created once
 * (blocked layouts chosen by oneDNN plus cached reorders, and plain NCHW/OIHW layouts), and PyTorch
 * ({@code benchmarks/pytorch/conv_shapes.py}), interleaved in rounds with a rotating order.
 *
 * <p>Arguments: python, script, rounds, shape set ({@code resnet20}, {@code vgg19} or {@code all}).
 */
public final class ConvolutionProbe {

    private static final long SEED = 42;

    /** A shape and how many layers of ResNet-20 have it (0 for VGG-19 shapes). */
    private record Case(String name, int count, int batch, ConvolutionShape shape, int reps) {
    }

    private ConvolutionProbe() {
    }

    /**
     * @param args python, script, rounds, shape set
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String python = args[0];
        String script = args[1];
        int rounds = Integer.parseInt(args[2]);
        String set = args.length > 3 ? args[3] : "all";
        dnnl_version_t v = dnnl_version();
        System.out.printf(Locale.ROOT, "oneDNN preset %d.%d.%d, cpu runtime %s, OMP_NUM_THREADS=%s, cores %d, "
                + "DNNL_MAX_CPU_ISA=%s, load %.2f%n", v.major(), v.minor(), v.patch(),
                v.cpu_runtime() == DNNL_RUNTIME_OMP ? "OpenMP" : "code " + v.cpu_runtime(),
                System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().availableProcessors(),
                System.getenv("DNNL_MAX_CPU_ISA"), load());
        List<Case> cases = cases(set);
        if (!OneDnn.available()) {
            throw new IllegalStateException("the dnnl preset is not on the class path");
        }

        List<Runner> runners = new ArrayList<>();
        List<String> torchShapes = new ArrayList<>();
        for (Case c : cases) {
            runners.add(new Runner(c));
            ConvolutionShape s = c.shape();
            torchShapes.add(c.batch() + "," + s.inChannels() + "," + s.inHeight() + "," + s.inWidth() + ","
                    + s.outChannels() + "," + s.kernelHeight() + "," + s.strideHeight() + ","
                    + (s.kernelHeight() == 1 ? 0 : 1));
        }
        Torch torch = new Torch(python, script, torchShapes);
        for (Runner r : runners) {
            r.checkAgreement();
        }
        String[] names = {"libnd4j", "direct-blocked", "direct-plain", "pytorch"};
        double[][][][] times = new double[runners.size()][names.length][2][rounds];
        for (int i = 0; i < runners.size(); i++) {
            Runner r = runners.get(i);
            for (int cand = 0; cand < names.length; cand++) {
                time(r, torch, i, cand, 1);
            }
        }
        double loadBefore = load();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < runners.size(); i++) {
                Runner r = runners.get(i);
                for (int j = 0; j < names.length; j++) {
                    int cand = (j + round + i) % names.length;
                    double[] ms = time(r, torch, i, cand, r.c.reps());
                    times[i][cand][0][round] = ms[0];
                    times[i][cand][1][round] = ms[1];
                }
                System.out.printf(Locale.ROOT, "round %d %s: libnd4j %.2f/%.2f blocked %.2f/%.2f plain %.2f/%.2f "
                        + "pytorch %.2f/%.2f%n", round, r.c.name(), times[i][0][0][round], times[i][0][1][round],
                        times[i][1][0][round], times[i][1][1][round], times[i][2][0][round], times[i][2][1][round],
                        times[i][3][0][round], times[i][3][1][round]);
            }
        }
        double loadAfter = load();
        torch.close();
        System.out.printf(Locale.ROOT, "%nms per call, median of %d rounds (fwd / bwd), load %.2f before, %.2f "
                + "after%n", rounds, loadBefore, loadAfter);
        System.out.println("| shape | ResNet-20 layers | libnd4j | direct, blocked | direct, plain | PyTorch "
                + "| libnd4j / best direct (fwd+bwd) | best direct / PyTorch |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        double[] weighted = new double[names.length * 2];
        for (int i = 0; i < runners.size(); i++) {
            Case c = runners.get(i).c;
            double[][] med = new double[names.length][2];
            StringBuilder row = new StringBuilder("| " + c.name() + " | " + c.count());
            for (int cand = 0; cand < names.length; cand++) {
                med[cand][0] = median(times[i][cand][0]);
                med[cand][1] = median(times[i][cand][1]);
                row.append(String.format(Locale.ROOT, " | %.2f / %.2f", med[cand][0], med[cand][1]));
                weighted[2 * cand] += c.count() * med[cand][0];
                weighted[2 * cand + 1] += c.count() * med[cand][1];
            }
            double nd = med[0][0] + med[0][1];
            double best = Math.min(med[1][0] + med[1][1], med[2][0] + med[2][1]);
            double pt = med[3][0] + med[3][1];
            row.append(String.format(Locale.ROOT, " | %.2f | %.2f |", nd / best, best / pt));
            System.out.println(row);
        }
        if (set.equals("resnet20") || set.equals("all")) {
            StringBuilder row = new StringBuilder("| ResNet-20 iteration's convolutions (sum over 21 layers) | 21");
            for (int cand = 0; cand < names.length; cand++) {
                row.append(String.format(Locale.ROOT, " | %.1f / %.1f", weighted[2 * cand], weighted[2 * cand + 1]));
            }
            double nd = weighted[0] + weighted[1];
            double best = Math.min(weighted[2] + weighted[3], weighted[4] + weighted[5]);
            double pt = weighted[6] + weighted[7];
            row.append(String.format(Locale.ROOT, " | %.2f | %.2f |", nd / best, best / pt));
            System.out.println(row);
        }
        System.out.println("(PyTorch: F.conv2d and autograd backward, input and weight gradients; the ResNet-20 stem's "
                + "input gradient is computed on every side)");
    }

    private static double[] time(Runner r, Torch torch, int index, int cand, int reps) {
        if (cand == 3) {
            return torch.run(index, reps);
        }
        double fwd = 0;
        double bwd = 0;
        for (int k = 0; k < reps; k++) {
            long t0 = System.nanoTime();
            r.forward(cand);
            long t1 = System.nanoTime();
            r.backward(cand);
            long t2 = System.nanoTime();
            fwd += (t1 - t0) / 1e6;
            bwd += (t2 - t1) / 1e6;
        }
        return new double[] {fwd / reps, bwd / reps};
    }

    private static List<Case> cases(String set) {
        List<Case> list = new ArrayList<>();
        if (set.equals("resnet20") || set.equals("all")) {
            list.add(new Case("3->16 32x32 3x3 s1 (stem)", 1, 128, same(3, 32, 16, 3, 1), 4));
            list.add(new Case("16->16 32x32 3x3 s1", 6, 128, same(16, 32, 16, 3, 1), 4));
            list.add(new Case("16->32 32x32 3x3 s2", 1, 128, same(16, 32, 32, 3, 2), 4));
            list.add(new Case("16->32 32x32 1x1 s2 (projection)", 1, 128, same(16, 32, 32, 1, 2), 4));
            list.add(new Case("32->32 16x16 3x3 s1", 5, 128, same(32, 16, 32, 3, 1), 4));
            list.add(new Case("32->64 16x16 3x3 s2", 1, 128, same(32, 16, 64, 3, 2), 4));
            list.add(new Case("32->64 16x16 1x1 s2 (projection)", 1, 128, same(32, 16, 64, 1, 2), 4));
            list.add(new Case("64->64 8x8 3x3 s1", 5, 128, same(64, 8, 64, 3, 1), 4));
        }
        if (set.equals("vgg19") || set.equals("all")) {
            list.add(new Case("VGG 64->64 32x32 3x3 s1", 0, 128, same(64, 32, 64, 3, 1), 2));
            list.add(new Case("VGG 128->128 16x16 3x3 s1", 0, 128, same(128, 16, 128, 3, 1), 2));
            list.add(new Case("VGG 256->256 8x8 3x3 s1", 0, 128, same(256, 8, 256, 3, 1), 2));
            list.add(new Case("VGG 512->512 4x4 3x3 s1", 0, 128, same(512, 4, 512, 3, 1), 2));
            list.add(new Case("VGG 512->512 2x2 3x3 s1", 0, 128, same(512, 2, 512, 3, 1), 3));
        }
        if (set.equals("one")) {
            list.add(new Case("16->16 32x32 3x3 s1", 6, 128, same(16, 32, 16, 3, 1), 1));
        }
        if (set.equals("bias")) {
            list.add(new Case("bias 8->12 9x9 3x3 s2", 0, 4, same(8, 9, 12, 3, 2), 3));
        }
        return list;
    }

    /** DL4J/libnd4j Same mode: out = ceil(in / s), top/left pad = total / 2 (the rest bottom/right). */
    private static ConvolutionShape same(int c, int hw, int k, int kernel, int stride) {
        int out = (hw + stride - 1) / stride;
        int top = Math.max(0, (out - 1) * stride + kernel - hw) / 2;
        return new ConvolutionShape(c, hw, hw, k, kernel, kernel, stride, stride, top, top, out, out);
    }

    /** Arrays and the three Java-side candidates of one shape. */
    private static final class Runner {
        final Case c;
        final INDArray x;
        final INDArray w;
        final INDArray b;
        final INDArray dz;
        final INDArray[] z = new INDArray[3];
        final INDArray[] dx = new INDArray[3];
        final INDArray[] dw = new INDArray[3];
        final INDArray[] db = new INDArray[3];
        final OneDnnConvolution blocked;
        final OneDnnConvolution plain;
        final OpContext fwdContext = Nd4j.getExecutioner().buildContext();
        final OpContext bwdContext = Nd4j.getExecutioner().buildContext();
        final long[] iArgs;

        Runner(Case c) {
            this.c = c;
            ConvolutionShape s = c.shape();
            int n = c.batch();
            boolean bias = c.name().startsWith("bias");
            Nd4j.getRandom().setSeed(SEED);
            x = Nd4j.randn(DataType.FLOAT, n, s.inChannels(), s.inHeight(), s.inWidth());
            w = Nd4j.randn(DataType.FLOAT, s.outChannels(), s.inChannels(), s.kernelHeight(), s.kernelWidth())
                    .muli(Math.sqrt(2.0 / s.patchSize()));
            b = bias ? Nd4j.randn(DataType.FLOAT, s.outChannels()) : null;
            dz = Nd4j.randn(DataType.FLOAT, n, s.outChannels(), s.outHeight(), s.outWidth());
            for (int i = 0; i < 3; i++) {
                z[i] = Nd4j.create(DataType.FLOAT, n, s.outChannels(), s.outHeight(), s.outWidth());
                dx[i] = Nd4j.create(DataType.FLOAT, n, s.inChannels(), s.inHeight(), s.inWidth());
                dw[i] = Nd4j.create(DataType.FLOAT, s.outChannels(), s.inChannels(), s.kernelHeight(),
                        s.kernelWidth());
                db[i] = bias ? Nd4j.create(DataType.FLOAT, s.outChannels()) : null;
            }
            iArgs = new long[] {s.kernelHeight(), s.kernelWidth(), s.strideHeight(), s.strideWidth(), 0, 0, 1, 1, 1,
                    0, 1};
            blocked = OneDnnConvolution.create(s, n, bias, OneDnnConvolution.Layout.BLOCKED);
            plain = OneDnnConvolution.create(s, n, bias, OneDnnConvolution.Layout.PLAIN);
            System.out.println(c.name() + ": blocked reorders " + blocked.reorders() + "; plain " + plain.reorders());
        }

        void forward(int cand) {
            if (cand == 0) {
                INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
                exec(new Conv2D(), fwdContext, in, new INDArray[] {z[0]});
            } else {
                (cand == 1 ? blocked : plain).forward(x, w, b, z[cand]);
            }
        }

        void backward(int cand) {
            if (cand == 0) {
                INDArray[] in = b == null ? new INDArray[] {x, w, dz} : new INDArray[] {x, w, b, dz};
                INDArray[] out = b == null ? new INDArray[] {dx[0], dw[0]} : new INDArray[] {dx[0], dw[0], db[0]};
                exec(new Conv2DDerivative(), bwdContext, in, out);
            } else {
                (cand == 1 ? blocked : plain).backward(x, w, dz, dx[cand], dw[cand], db[cand]);
            }
        }

        void checkAgreement() {
            for (int cand = 0; cand < 3; cand++) {
                forward(cand);
                backward(cand);
            }
            System.out.printf(Locale.ROOT, "%s: max |diff| against libnd4j: blocked z %.2e dx %.2e dW %.2e%s; plain z "
                    + "%.2e dx %.2e dW %.2e (max |z| %.2f, |dW| %.2f)%n", c.name(), diff(z[1], z[0]), diff(dx[1],
                            dx[0]),
                    diff(dw[1], dw[0]), b == null ? "" : String.format(Locale.ROOT, " db %.2e", diff(db[1], db[0])),
                    diff(z[2], z[0]), diff(dx[2], dx[0]), diff(dw[2], dw[0]), z[0].amaxNumber().doubleValue(),
                    dw[0].amaxNumber().doubleValue());
        }

        private void exec(DynamicCustomOp op, OpContext context, INDArray[] in, INDArray[] out) {
            context.purge();
            context.setIArguments(iArgs);
            context.setInputArrays(in);
            context.setOutputArrays(out);
            context.allowHelpers(true);
            Nd4j.exec(op, context);
        }
    }

    private static double diff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The PyTorch side: a conv_shapes.py process answering "run INDEX REPS". */
    private static final class Torch implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;

        Torch(String python, String script, List<String> shapes) throws IOException {
            List<String> command = new ArrayList<>(List.of(python, script, "--threads", "2"));
            command.addAll(shapes);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().keySet().removeAll(List.of("DNNL_MAX_CPU_ISA", "ONEDNN_MAX_CPU_ISA", "DNNL_VERBOSE",
                    "ONEDNN_VERBOSE"));
            process = builder.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String line = out.readLine();
            if (!"ready".equals(line)) {
                throw new IllegalStateException("conv_shapes.py did not start: " + line);
            }
        }

        double[] run(int index, int reps) {
            try {
                in.write("run " + index + " " + reps + "\n");
                in.flush();
                String[] words = out.readLine().split(" ");
                return new double[] {Double.parseDouble(words[1]), Double.parseDouble(words[2])};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            in.write("quit\n");
            in.flush();
        }
    }
}
