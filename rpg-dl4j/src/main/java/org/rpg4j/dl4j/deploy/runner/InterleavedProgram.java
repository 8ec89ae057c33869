package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.InterleavedConvolution;
import org.rpg4j.sparse.kernel.InterleavedLayout;
import org.rpg4j.sparse.kernel.KernelInstructions;

/**
 * {@link InterleavedRunner}'s steps up to the global average pooling for one input size: each slot's
 * {@link InterleavedLayout} (one border for all, the widest any convolution reads, so that an add runs over whole
 * arrays, borders included, and the borders stay zero), the convolutions compiled for those sizes, and which array of
 * a thread's set each slot uses (an array is reused once its slot's last reader has run). Each thread has its own set
 * of one-group arrays.
 */
final class InterleavedProgram {

    private enum Kind {
        CONVOLUTION, ADD, POOL
    }

    /**
     * One step on one group's arrays.
     *
     * @param kind what it computes
     * @param convolution the convolution, or null
     * @param in layout of the (first) input
     * @param out layout of the output (the pooling's input for POOL)
     * @param input array of the (first) input
     * @param second array of the residual or the add's second input, or -1
     * @param output array of the output, or -1 for POOL
     * @param relu ReLU after an add
     */
    private record Op(Kind kind, InterleavedConvolution convolution, InterleavedLayout in, InterleavedLayout out,
                      int input, int second, int output, boolean relu) {
    }

    private final InterleavedLayout inputLayout;
    private final int inputArray;
    private final List<Op> ops;
    private final InterleavedLayout[] arrayLayouts;
    private final float[][][] arrays;
    private final int features;

    private InterleavedProgram(InterleavedLayout inputLayout, int inputArray, List<Op> ops,
                               InterleavedLayout[] arrayLayouts, int threads) {
        this.inputLayout = inputLayout;
        this.inputArray = inputArray;
        this.ops = ops;
        this.arrayLayouts = arrayLayouts;
        this.arrays = new float[threads][][];
        this.features = ops.get(ops.size() - 1).in().channels();
    }

    /**
     * @param plan the compiled graph
     * @param groupNodes nodes up to and including the pooling (checked by {@link InterleavedRunner})
     * @param channels input channels
     * @param height input height
     * @param width input width
     * @param threads threads that will run groups
     * @return the program for that input size
     * @throws IllegalArgumentException if the channels do not match the first convolution's
     */
    static InterleavedProgram of(Plan plan, int groupNodes, int channels, int height, int width, int threads) {
        List<Plan.Node> nodes = plan.nodes().subList(0, groupNodes);
        Map<Integer, int[]> sizes = new HashMap<>();
        int input = plan.inputSlots()[0];
        sizes.put(input, new int[] {channels, height, width});
        int border = 0;
        List<InterleavedConvolution> convolutions = new ArrayList<>();
        for (Plan.Node node : nodes) {
            int[] in = sizes.get(node.inputs()[0]);
            if (node.step() instanceof ConvolutionStep c) {
                if (c.spec().inChannels() != in[0]) {
                    throw new IllegalArgumentException("input must have " + c.spec().inChannels() + " channels for "
                            + c.spec() + ", got " + in[0]);
                }
                ConvolutionShape shape = c.spec().shape(in[1], in[2]);
                InterleavedConvolution convolution = InterleavedConvolution.of(shape, c.foldedWeights(),
                        c.foldedBias(), c.activation(), KernelInstructions.best());
                convolutions.add(convolution);
                border = Math.max(border, convolution.inputBorder());
                sizes.put(node.output(), new int[] {shape.outChannels(), shape.outHeight(), shape.outWidth()});
            } else {
                convolutions.add(null);
                sizes.put(node.output(), in);
            }
        }
        return assemble(plan, nodes, sizes, convolutions, border, threads);
    }

    private static InterleavedProgram assemble(Plan plan, List<Plan.Node> nodes, Map<Integer, int[]> sizes,
                                               List<InterleavedConvolution> convolutions, int border, int threads) {
        int[] lastReaders = plan.lastReaders();
        Map<InterleavedLayout, Deque<Integer>> free = new HashMap<>();
        List<InterleavedLayout> arrayLayouts = new ArrayList<>();
        Map<Integer, Integer> arrayOf = new HashMap<>();
        int input = plan.inputSlots()[0];
        InterleavedLayout inputLayout = layout(sizes.get(input), border);
        arrayOf.put(input, take(inputLayout, free, arrayLayouts));
        List<Op> ops = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            Plan.Node node = nodes.get(n);
            int[] slots = node.inputs();
            InterleavedLayout in = layout(sizes.get(slots[0]), border);
            InterleavedLayout out = layout(sizes.get(node.output()), border);
            int second = slots.length > 1 ? arrayOf.get(slots[1]) : -1;
            if (node.step() instanceof GlobalPoolingStep) {
                ops.add(new Op(Kind.POOL, null, in, in, arrayOf.get(slots[0]), -1, -1, false));
                continue;
            }
            // the output's array is taken before the inputs are released: never one of the inputs
            int output = take(out, free, arrayLayouts);
            boolean add = node.step() instanceof AddStep;
            boolean relu = add && ((AddStep) node.step()).activation() == FusedActivation.RELU;
            ops.add(new Op(add ? Kind.ADD : Kind.CONVOLUTION, convolutions.get(n), in, out, arrayOf.get(slots[0]),
                    second, output, relu));
            arrayOf.put(node.output(), output);
            for (int slot : slots) {
                if (lastReaders[slot] == n && slot != node.output()) {
                    free.computeIfAbsent(layout(sizes.get(slot), border), k -> new ArrayDeque<>()).push(arrayOf.get(
                            slot));
                }
            }
        }
        return new InterleavedProgram(inputLayout, arrayOf.get(input), ops, arrayLayouts.toArray(
                new InterleavedLayout[0]), threads);
    }

    private static InterleavedLayout layout(int[] size, int border) {
        return new InterleavedLayout(size[0], size[1], size[2], border);
    }

    private static int take(InterleavedLayout layout, Map<InterleavedLayout, Deque<Integer>> free,
                            List<InterleavedLayout> arrayLayouts) {
        Deque<Integer> reusable = free.get(layout);
        if (reusable != null && !reusable.isEmpty()) {
            return reusable.pop();
        }
        arrayLayouts.add(layout);
        return arrayLayouts.size() - 1;
    }

    /** @return channels of the pooled features, per image */
    int features() {
        return features;
    }

    /**
     * Runs group {@code group} of the batch on thread {@code part}'s arrays and writes its images' pooled features.
     *
     * @param part the thread's index, in [0, threads)
     * @param images {@code [batch, channels, height, width]}, not modified
     * @param group the group's index
     * @param batch images in the batch
     * @param pooled modified: rows {@code [16 group, 16 group + 16)} (those below {@code batch}) of
     *     {@code [batch, features()]}
     */
    void runGroup(int part, float[] images, int group, int batch, float[] pooled) {
        float[][] own = arrays(part);
        int first = group * InterleavedLayout.GROUP;
        int count = Math.min(InterleavedLayout.GROUP, batch - first);
        inputLayout.interleaveGroup(images, first, count, own[inputArray]);
        for (Op op : ops) {
            switch (op.kind()) {
                case CONVOLUTION -> op.convolution().forward(own[op.input()], op.in(), 1, own[op.output()], op.out(),
                        op.second() < 0 ? null : own[op.second()]);
                case ADD -> add(own[op.input()], own[op.second()], own[op.output()], op.relu());
                case POOL -> pool(own[op.input()], op.in(), first, count, pooled);
            }
        }
    }

    private float[][] arrays(int part) {
        if (arrays[part] == null) {
            float[][] own = new float[arrayLayouts.length][];
            for (int a = 0; a < own.length; a++) {
                own[a] = new float[arrayLayouts[a].groupSize()];
            }
            arrays[part] = own;
        }
        return arrays[part];
    }

    /** {@code out = a + b} (ReLU'd if asked) over whole arrays: zero borders stay zero. */
    private static void add(float[] a, float[] b, float[] out, boolean relu) {
        for (int i = 0; i < out.length; i++) {
            float sum = a[i] + b[i];
            out[i] = relu ? Math.max(sum, 0.0f) : sum;
        }
    }

    /** Each image's mean over its plane per channel (summed in double), into its row of {@code pooled}. */
    private static void pool(float[] values, InterleavedLayout layout, int first, int count, float[] pooled) {
        int channels = layout.channels();
        int g = InterleavedLayout.GROUP;
        double[] sums = new double[g];
        for (int c = 0; c < channels; c++) {
            java.util.Arrays.fill(sums, 0.0);
            for (int y = 0; y < layout.height(); y++) {
                int row = layout.index(c, y, 0);
                for (int x = 0; x < layout.width(); x++) {
                    for (int lane = 0; lane < g; lane++) {
                        sums[lane] += values[row + x * g + lane];
                    }
                }
            }
            double pixels = (double) layout.height() * layout.width();
            for (int lane = 0; lane < count; lane++) {
                pooled[(first + lane) * channels + c] = (float) (sums[lane] / pixels);
            }
        }
    }
}
