package org.rpg4j.benchmarks.models;

import java.util.ArrayList;
import java.util.List;

/**
 * The prunable weight tensors of the benchmarked models, in the order a network holds them.
 * Convolution kernels are {@code [out, in, kh, kw]} (their rank-loss matrix is {@code [out, in *
 * kh * kw]}); the final dense layer is {@code [nIn, nOut]} as DL4J stores it.
 *
 * <ul>
 *   <li>{@link #RESNET20}: CIFAR ResNet-20 (He et al. 2016, section 4.2): 3x3 stem with 16
 *       channels, three stages of 3 basic blocks with 16, 32, 64 channels, a 1x1 projection where
 *       a stage starts with stride 2; 21 convolutions and fc 64 x 10, 22 tensors, 270,896 weights.
 *   <li>{@link #RESNET32X2}: CIFAR ResNet-32 with doubled width (32, 64, 128 channels), as in the
 *       RPG authors' CIFAR runs; 33 convolutions and fc 128 x 10, 34 tensors, 1,855,584 weights.
 *   <li>{@link #VGG19}: CIFAR VGG-19 (16 3x3 convolutions 64-64-128-128-256x4-512x8) and fc 512 x 10,
 *       17 tensors, 20,024,000 weights.
 *   <li>{@link #RESNET50}: torchvision ResNet-50 (bottleneck, ImageNet): 53 convolutions and the
 *       fc 2048 x 1000, 54 tensors, 25,502,912 weights.
 * </ul>
 */
public enum ModelShapes {
    RESNET20(cifarResNet(3, 16)),
    RESNET32X2(cifarResNet(5, 32)),
    VGG19(vgg19()),
    RESNET50(resnet50());

    private final List<long[]> shapes;

    ModelShapes(List<long[]> shapes) {
        this.shapes = List.copyOf(shapes);
    }

    /** @return every prunable tensor: the convolutions, then the final dense layer {@code [nIn, nOut]} */
    public List<long[]> tensors() {
        return shapes.stream().map(long[]::clone).toList();
    }

    /** @return the convolution kernels only (the rank layers of RPG) */
    public List<long[]> convolutions() {
        return shapes.stream().filter(s -> s.length == 4).map(long[]::clone).toList();
    }

    /** @return the number of weights over all prunable tensors */
    public long weightCount() {
        return shapes.stream().mapToLong(ModelShapes::length).sum();
    }

    /** @return the product of the dimensions */
    public static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static List<long[]> cifarResNet(int blocksPerStage, int baseWidth) {
        List<long[]> s = new ArrayList<>();
        s.add(conv(baseWidth, 3, 3));
        long in = baseWidth;
        for (int stage = 0; stage < 3; stage++) {
            long width = (long) baseWidth << stage;
            for (int b = 0; b < blocksPerStage; b++) {
                boolean downsample = stage > 0 && b == 0;
                s.add(conv(width, in, 3));
                s.add(conv(width, width, 3));
                if (downsample) {
                    s.add(conv(width, in, 1));
                }
                in = width;
            }
        }
        s.add(new long[] {in, 10});
        return s;
    }

    private static List<long[]> vgg19() {
        int[] widths = {64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512};
        List<long[]> s = new ArrayList<>();
        long in = 3;
        for (int w : widths) {
            s.add(conv(w, in, 3));
            in = w;
        }
        s.add(new long[] {in, 10});
        return s;
    }

    private static List<long[]> resnet50() {
        List<long[]> s = new ArrayList<>();
        s.add(conv(64, 3, 7));
        int[] blocks = {3, 4, 6, 3};
        long in = 64;
        for (int stage = 0; stage < 4; stage++) {
            long width = 64L << stage;
            long out = width * 4;
            for (int b = 0; b < blocks[stage]; b++) {
                s.add(conv(width, b == 0 ? in : out, 1));
                s.add(conv(width, width, 3));
                s.add(conv(out, width, 1));
                if (b == 0) {
                    s.add(conv(out, in, 1));
                }
            }
            in = out;
        }
        s.add(new long[] {2048, 1000});
        return s;
    }

    private static long[] conv(long out, long in, int kernel) {
        return new long[] {out, in, kernel, kernel};
    }
}
