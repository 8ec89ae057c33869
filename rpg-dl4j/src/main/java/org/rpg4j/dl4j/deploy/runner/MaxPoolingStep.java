package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.MaxPool2x2;
import org.rpg4j.sparse.kernel.PlaneLayout;

/**
 * DL4J's 2-D max pooling ({@code SubsamplingLayer} with {@code PoolingType.MAX}, NCHW, dilation 1,
 * Truncate or Same mode) on Java arrays: {@code [batch, c, h, w] -> [batch, c, oh, ow]}, each output the
 * largest input in its window clipped to the image (padding never wins, as in libnd4j's
 * {@code maxpool2d}). Output sizes and Same-mode padding are computed as libnd4j computes them
 * ({@code out = ceil(in / s)}; in Truncate mode {@code out = (in + 2p - k) / s + 1}). Images are spread
 * over threads like the sparse kernels. 2x2 windows with stride 2 inside the input (VGG's pools) write the layout
 * their reader reads ({@link Step#inputLayout}: the next sparse convolution's padded rows, no copy there), and a
 * convolution whose only reader this step is may pool its own output ({@link #halves}, {@link #poolInto}), which
 * this step then hands on ({@link Tensor#pooledBy}).
 */
final class MaxPoolingStep implements Step {

    private final String name;
    private final ConvolutionSpec spec;
    private final KernelThreading threading;
    private final List<Step> readers = new ArrayList<>();
    private ArrayPool pool;

    /**
     * @param name the layer name
     * @param spec the window geometry (its channel counts are not used)
     * @param threading how images are spread over threads
     */
    private MaxPoolingStep(String name, ConvolutionSpec spec, KernelThreading threading) {
        this.name = name;
        this.spec = spec;
        this.threading = threading;
    }

    /**
     * @param conf a layer configuration
     * @return true for a max-pooling layer this step computes: exactly {@code SubsamplingLayer}, MAX,
     *     NCHW, dilation 1, Truncate or Same mode, padding smaller than the window
     */
    static boolean accepts(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf.getClass() != SubsamplingLayer.class) {
            return false;
        }
        SubsamplingLayer s = (SubsamplingLayer) conf;
        ConvolutionMode mode = s.getConvolutionMode();
        return s.getPoolingType() == PoolingType.MAX && s.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && s.getDilation()[0] == 1 && s.getDilation()[1] == 1
                && (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Same)
                && s.getPadding()[0] < s.getKernelSize()[0] && s.getPadding()[1] < s.getKernelSize()[1];
    }

    /**
     * @param conf a layer {@link #accepts} accepts
     * @param threading how images are spread over threads
     * @return the step
     */
    static MaxPoolingStep of(SubsamplingLayer conf, KernelThreading threading) {
        ConvolutionSpec spec = new ConvolutionSpec(1, 1, conf.getKernelSize().clone(),
                conf.getStride().clone(), conf.getPadding().clone(), new int[] {1, 1},
                conf.getConvolutionMode() == ConvolutionMode.Same);
        return new MaxPoolingStep(conf.getLayerName(), spec, threading);
    }

    @Override
    public Tensor run(Tensor[] inputs) {
        Tensor input = inputs[0];
        // the producer pooled its output for this step already
        return input.pooled() != null ? input.pooled() : pool(input);
    }

    /**
     * @param inputShape the shape of a value this step would read
     * @return true if the step pools that shape with 2x2 windows of stride 2 inside the input (no clipping, no
     *     padding), the pooling {@link MaxPool2x2} and {@code SparseConvolution.forwardPooled} compute
     */
    boolean halves(long[] inputShape) {
        if (inputShape.length != 4 || inputShape[2] < 2 || inputShape[3] < 2) {
            return false;
        }
        return Window.of(spec, 0, (int) inputShape[2]).halves() && Window.of(spec, 1, (int) inputShape[3]).halves();
    }

    /**
     * @param inputShape a shape {@link #halves} accepts
     * @return the shape this step outputs for it: {@code [batch, channels, height / 2, width / 2]}
     */
    static long[] halvedShape(long[] inputShape) {
        return new long[] {inputShape[0], inputShape[1], inputShape[2] / 2, inputShape[3] / 2};
    }

    /**
     * @param outputShape the shape of this step's output
     * @return the layout this step's readers read its output in without copying ({@link Step#wantedBy}), or null for
     *     plain row-major
     */
    PlaneLayout outputLayout(long[] outputShape) {
        return Step.wantedBy(readers, outputShape);
    }

    /**
     * A 2x2 pooling of a value {@link #halves} accepts, computed by another step (the producer of that value), in the
     * layout this step would write.
     *
     * @param values the pooled values: plain row-major of {@link #halvedShape}, or in {@code layout}
     * @param layout null or {@link #outputLayout}
     * @param inputShape the pooled value's shape
     * @return this step's output, to hand on through {@link Tensor#pooledBy}
     */
    static Tensor poolInto(float[] values, PlaneLayout layout, long[] inputShape) {
        long[] out = halvedShape(inputShape);
        return layout == null ? Tensor.of(values, out) : Tensor.padded(values, layout, out);
    }

    /**
     * @param input a value of this step's input shape
     * @return its pooling, in the layout this step's readers read
     */
    Tensor pool(Tensor input) {
        long[] in = input.shape();
        if (in.length != 4) {
            throw new IllegalArgumentException("max-pooling layer " + name + " expects input [batch, channels, "
                    + "height, width], got " + Arrays.toString(in));
        }
        Window rows = Window.of(spec, 0, (int) in[2]);
        Window columns = Window.of(spec, 1, (int) in[3]);
        if (rows.out() < 1 || columns.out() < 1) {
            throw new IllegalArgumentException("max-pooling layer " + name + ": input " + in[2] + "x" + in[3]
                    + " is smaller than the window " + spec.kernel()[0] + "x" + spec.kernel()[1]);
        }
        int batch = (int) in[0];
        int channels = (int) in[1];
        int inSize = channels * (int) (in[2] * in[3]);
        int outSize = channels * rows.out() * columns.out();
        float[] x = input.floats(pool);
        long work = (long) batch * outSize * spec.kernel()[0] * spec.kernel()[1];
        long[] outShape = {batch, channels, rows.out(), columns.out()};
        PlaneLayout layout = rows.halves() && columns.halves() ? outputLayout(outShape) : null;
        if (layout != null) {
            int plane = layout.planeSize();
            float[] padded = ArrayPool.take(pool, batch * channels * plane);
            int inPlane = rows.in() * columns.in();
            threading.run(batch, work, image -> {
                for (int c = 0; c < channels; c++) {
                    int base = (image * channels + c) * plane;
                    MaxPool2x2.plane(x, (image * channels + c) * inPlane, columns.in(), rows.in(), columns.in(),
                            padded, base + layout.origin(), layout.rowWidth());
                    MaxPool2x2.clearBorder(padded, base, layout);
                }
            });
            return Tensor.padded(padded, layout, outShape);
        }
        float[] y = ArrayPool.take(pool, batch * outSize);
        if (rows.halves() && columns.halves()) {
            threading.run(batch, work, image -> halveImage(rows, columns, channels, x, image * inSize, y,
                    image * outSize));
        } else {
            threading.run(batch, work, image -> poolImage(rows, columns, channels, x, image * inSize, y,
                    image * outSize));
        }
        return Tensor.of(y, batch, channels, rows.out(), columns.out());
    }

    /**
     * The windows along one axis.
     *
     * @param in input size
     * @param out output size
     * @param kernel window size
     * @param stride step between windows
     * @param pad where the first window starts before the input: in Same mode libnd4j's
     *     {@code ((out - 1) s + k - in) / 2} rounded toward zero, negative when the stride exceeds the
     *     window (the windows are then centred inside the input, as libnd4j does)
     */
    private record Window(int in, int out, int kernel, int stride, int pad) {

        static Window of(ConvolutionSpec spec, int axis, int in) {
            int k = spec.kernel()[axis];
            int s = spec.stride()[axis];
            if (spec.same()) {
                int out = (in + s - 1) / s;
                return new Window(in, out, k, s, ((out - 1) * s + k - in) / 2);
            }
            int p = spec.padding()[axis];
            return new Window(in, (in + 2 * p - k) / s + 1, k, s, p);
        }

        int from(int o) {
            return Math.max(o * stride - pad, 0);
        }

        int to(int o) {
            return Math.min(o * stride - pad + kernel, in);
        }

        /** @return true for windows of 2 with stride 2 and no padding, all inside the input (VGG's pools) */
        boolean halves() {
            return kernel == 2 && stride == 2 && pad == 0 && 2 * out <= in;
        }
    }

    /**
     * {@link #poolImage} for 2x2 windows with stride 2 that all lie inside the input: no clipping, each output the
     * largest of two adjacent values in two adjacent rows (the same {@code Math.max} as the general loop; one thread,
     * [32, 64, 32, 32]: 1.2 instead of 4.7 ms, docs/deployment.md session 9).
     */
    private static void halveImage(Window rows, Window columns, int channels, float[] x, int inBase, float[] y,
                                   int outBase) {
        int width = columns.in();
        int plane = rows.in() * width;
        int outWidth = columns.out();
        int outPlane = rows.out() * outWidth;
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < rows.out(); oy++) {
                int top = inBase + c * plane + 2 * oy * width;
                int bottom = top + width;
                int o = outBase + c * outPlane + oy * outWidth;
                for (int ox = 0; ox < outWidth; ox++) {
                    y[o + ox] = Math.max(Math.max(x[top + 2 * ox], x[top + 2 * ox + 1]), Math.max(x[bottom + 2 * ox],
                            x[bottom + 2 * ox + 1]));
                }
            }
        }
    }

    /** One image: every channel, every output pixel, the largest value of its clipped window. */
    private static void poolImage(Window rows, Window columns, int channels, float[] x, int inBase, float[] y,
                                  int outBase) {
        int plane = rows.in() * columns.in();
        int outPlane = rows.out() * columns.out();
        for (int c = 0; c < channels; c++) {
            int xc = inBase + c * plane;
            int yc = outBase + c * outPlane;
            for (int oy = 0; oy < rows.out(); oy++) {
                int rowFrom = rows.from(oy);
                int rowTo = rows.to(oy);
                for (int ox = 0; ox < columns.out(); ox++) {
                    int colFrom = columns.from(ox);
                    int colTo = columns.to(ox);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int iy = rowFrom; iy < rowTo; iy++) {
                        int row = xc + iy * columns.in();
                        for (int ix = colFrom; ix < colTo; ix++) {
                            max = Math.max(max, x[row + ix]);
                        }
                    }
                    y[yc + oy * columns.out() + ox] = max;
                }
            }
        }
    }

    @Override
    public void addReader(Step reader) {
        readers.add(reader);
    }

    @Override
    public void usePool(ArrayPool runnerPool) {
        this.pool = runnerPool;
    }

    @Override
    public List<LayerChoice> choices() {
        String operation = "max pool " + spec.kernel()[0] + "x" + spec.kernel()[1] + "/" + spec.stride()[0];
        return List.of(new LayerChoice(name, operation, Double.NaN, 0, Double.NaN, Double.NaN, KernelKind.JAVA));
    }
}
