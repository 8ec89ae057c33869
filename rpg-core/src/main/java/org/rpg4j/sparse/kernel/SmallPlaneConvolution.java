package org.rpg4j.sparse.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dense 2-D convolution (dilation 1, one group) for layers whose output plane is small (VGG-19's 4x4 and 2x2
 * maps on CIFAR) at small batches, for inference: per image the input is unrolled into its patches
 * ({@code [inChannels * kh * kw, pixels]}, zero padding included) and multiplied with the transposed weights with
 * the output channels as the vector dimension ({@link PixelGemm}), so that a plane of 4 or 16 pixels does not
 * leave the vectors mostly empty as it does in the row kernels ({@link SparseConvolution}, vectorised along the
 * plane). Zero weights are multiplied like any other: for weights that are dense, as a structurally shrunk
 * network's are. Bias, residual and activation are applied as the output is stored in plain NCHW.
 *
 * <p>Thread-safe: each thread keeps its own patch and accumulator buffers. Images run on the calling thread.
 */
public final class SmallPlaneConvolution {

    private static final Logger LOG = LoggerFactory.getLogger(SmallPlaneConvolution.class);
    private static final PixelGemm VECTOR = loadVectorGemm();
    private static final PixelGemm SCALAR = new ScalarPixelGemm();

    private final ConvolutionShape shape;
    private final PixelGemm gemm;
    private final int width;
    private final float[] transposed;
    private final float[] bias;
    private final FusedActivation activation;
    private final ThreadLocal<float[][]> scratch;

    private SmallPlaneConvolution(ConvolutionShape shape, float[] weights, float[] bias, FusedActivation activation,
                                  PixelGemm gemm) {
        this.shape = shape;
        this.gemm = gemm;
        int lanes = gemm.lanes();
        this.width = (shape.outChannels() + lanes - 1) / lanes * lanes;
        int patch = shape.patchSize();
        this.transposed = new float[patch * width];
        for (int o = 0; o < shape.outChannels(); o++) {
            for (int k = 0; k < patch; k++) {
                transposed[k * width + o] = weights[o * patch + k];
            }
        }
        this.bias = bias == null ? new float[shape.outChannels()] : bias.clone();
        this.activation = activation;
        int pixels = shape.outHeight() * shape.outWidth();
        this.scratch = ThreadLocal.withInitial(() -> new float[][] {new float[patch * pixels],
                new float[pixels * width]});
    }

    /**
     * @param shape the geometry
     * @param weights {@code [outChannels, inChannels, kh, kw]} row-major; copied (transposed)
     * @param bias {@code [outChannels]}, or null for none; copied
     * @param activation applied to each output before it is stored
     * @param instructions {@link KernelInstructions#VECTOR_API} (channel vectors) or {@link KernelInstructions#SCALAR}
     * @return the convolution
     * @throws IllegalArgumentException if an argument is null, an array has the wrong length or the instructions are
     *     not available in this JVM
     */
    public static SmallPlaneConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                           FusedActivation activation, KernelInstructions instructions) {
        if (shape == null || weights == null || activation == null || instructions == null) {
            throw new IllegalArgumentException("shape, weights, activation and instructions must not be null");
        }
        long expected = (long) shape.outChannels() * shape.patchSize();
        if (weights.length != expected) {
            throw new IllegalArgumentException("weights must have length outChannels * inChannels * kh * kw = "
                    + expected + ", got " + weights.length);
        }
        if (bias != null && bias.length != shape.outChannels()) {
            throw new IllegalArgumentException("bias must have length outChannels = " + shape.outChannels() + ", got "
                    + bias.length);
        }
        if (!instructions.available()) {
            throw new IllegalArgumentException("instructions " + instructions + " are not available in this JVM: run "
                    + "it with --add-modules jdk.incubator.vector or use KernelInstructions.best()");
        }
        PixelGemm gemm = instructions == KernelInstructions.VECTOR_API && VECTOR != null ? VECTOR : SCALAR;
        return new SmallPlaneConvolution(shape, weights, bias, activation, gemm);
    }

    /**
     * @param shape the geometry
     * @param weights as for {@link #of(ConvolutionShape, float[], float[], FusedActivation, KernelInstructions)}
     * @param bias {@code [outChannels]}, or null
     * @param activation applied before the store
     * @return the convolution with {@link KernelInstructions#best()}
     * @throws IllegalArgumentException as for the other factory
     */
    public static SmallPlaneConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                           FusedActivation activation) {
        return of(shape, weights, bias, activation, KernelInstructions.best());
    }

    /** @return the geometry */
    public ConvolutionShape shape() {
        return shape;
    }

    /**
     * Computes {@code activation(convolution + bias + residual)} of a batch, plain NCHW in and out.
     *
     * @param input {@code [batch, inChannels, inHeight, inWidth]} row-major; not modified
     * @param batch images, &ge; 1
     * @param output {@code [batch, outChannels, outHeight, outWidth]} row-major; overwritten
     * @param residual null, or a term of the output's length added before the activation; not modified
     * @throws IllegalArgumentException if the batch is below 1 or an array has the wrong length
     */
    public void forward(float[] input, int batch, float[] output, float[] residual) {
        shape.checkBatchArrays(input, batch, output, residual);
        float[][] buffers = scratch.get();
        float[] patches = buffers[0];
        float[] acc = buffers[1];
        int pixels = shape.outHeight() * shape.outWidth();
        for (int image = 0; image < batch; image++) {
            unroll(input, image * shape.inputSize(), patches);
            gemm.multiply(transposed, width, patches, shape.patchSize(), pixels, acc);
            store(acc, pixels, output, residual, image * shape.outputSize());
        }
    }

    /** Writes one image's patches {@code [inChannels * kh * kw, pixels]}, zero where the window leaves the input. */
    private void unroll(float[] input, int base, float[] patches) {
        int pixels = shape.outHeight() * shape.outWidth();
        int kh = shape.kernelHeight();
        int kw = shape.kernelWidth();
        int row = 0;
        for (int c = 0; c < shape.inChannels(); c++) {
            int plane = base + c * shape.inHeight() * shape.inWidth();
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int at = row * pixels;
                    for (int y = 0; y < shape.outHeight(); y++) {
                        int iy = y * shape.strideHeight() + ky - shape.padTop();
                        boolean rowInside = iy >= 0 && iy < shape.inHeight();
                        for (int x = 0; x < shape.outWidth(); x++) {
                            int ix = x * shape.strideWidth() + kx - shape.padLeft();
                            patches[at++] = rowInside && ix >= 0 && ix < shape.inWidth()
                                    ? input[plane + iy * shape.inWidth() + ix] : 0f;
                        }
                    }
                    row++;
                }
            }
        }
    }

    /** Stores {@code acc [pixels, width]} as NCHW channels with bias, residual and activation. */
    private void store(float[] acc, int pixels, float[] output, float[] residual, int outBase) {
        boolean relu = activation == FusedActivation.RELU;
        for (int o = 0; o < shape.outChannels(); o++) {
            int at = outBase + o * pixels;
            float b = bias[o];
            for (int p = 0; p < pixels; p++) {
                float v = acc[p * width + o] + b;
                if (residual != null) {
                    v += residual[at + p];
                }
                output[at + p] = relu ? Math.max(0f, v) : v;
            }
        }
    }

    @Override
    public String toString() {
        return "SmallPlaneConvolution[" + shape + ", " + activation + ", " + (gemm == VECTOR ? "channel vectors of "
                + gemm.lanes() : "scalar") + "]";
    }

    private static PixelGemm loadVectorGemm() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (PixelGemm) Class.forName(SmallPlaneConvolution.class.getPackageName() + ".VectorPixelGemm")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("the small-plane convolution uses scalar loops: its Vector API loop did not load ({})",
                    e.toString());
            return null;
        }
    }
}
