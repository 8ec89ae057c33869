package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.FLOAT_TOLERANCE;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.dl4j.layers.onednn.OneDnnConvolution;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/** oneDNN's primitives called directly against libnd4j's conv2d / conv2d_bp ops, and the switch. */
class OneDnnConvolutionTest {

    /** Central-difference step (the convolution is linear: no truncation error, so a large step is safe). */
    private static final double FD_STEP = 0.5;
    /** Relative tolerance of the finite-difference check (float rounding only). */
    private static final double FD_TOLERANCE = 2e-3;

    @AfterEach
    void clearSwitch() {
        System.clearProperty(OneDnn.PROPERTY);
        System.clearProperty(OneDnn.KEEP_INPUT_PROPERTY);
    }

    @Test
    void presetLoadsOnTheTestClassPath() {
        assertTrue(OneDnn.available(), "org.bytedeco:dnnl with its linux-x86_64 natives is a test dependency");
        assertEquals(OneDnn.Mode.AUTO, OneDnn.mode());
    }

    /**
     * Seeded shapes (Same and Truncate padding, strides 1-2, kernels 1-3, odd sizes, with and without bias),
     * weights and gradients as views at an offset inside larger vectors (as DL4J's parameter and gradient
     * views are): both layouts give libnd4j's outputs and gradients within the float tolerance, and every
     * output is overwritten (the outputs start as NaN).
     */
    @Test
    void matchesLibnd4jOpsOnSeededShapes() {
        Random random = new Random(5);
        for (int trial = 0; trial < 12; trial++) {
            int batch = 1 + random.nextInt(3);
            int in = 1 + random.nextInt(9);
            int out = 1 + random.nextInt(9);
            int h = 3 + random.nextInt(9);
            int w = 3 + random.nextInt(9);
            int k = 1 + random.nextInt(3);
            int s = 1 + random.nextInt(2);
            boolean same = random.nextBoolean();
            int pad = same ? 0 : random.nextInt(k);
            boolean bias = random.nextBoolean();
            int oh = same ? (h + s - 1) / s : (h + 2 * pad - k) / s + 1;
            int ow = same ? (w + s - 1) / s : (w + 2 * pad - k) / s + 1;
            int padTop = same ? Math.max(0, (oh - 1) * s + k - h) / 2 : pad;
            int padLeft = same ? Math.max(0, (ow - 1) * s + k - w) / 2 : pad;
            ConvolutionShape shape = new ConvolutionShape(in, h, w, out, k, k, s, s, padTop, padLeft, oh, ow);
            String what = "trial " + trial + " " + shape + " batch " + batch + " bias " + bias;
            long seed = 100L * trial;
            INDArray x = gaussian(seed, batch, in, h, w);
            INDArray weights = view(gaussian(seed + 1, 1, 7 + out * in * k * k), 7, out, in, k, k);
            INDArray b = bias ? view(gaussian(seed + 2, 1, 3 + out), 3, 1, out) : null;
            INDArray dz = gaussian(seed + 3, batch, out, oh, ow);
            long[] iArgs = {k, k, s, s, pad, pad, 1, 1, same ? 1 : 0, 0, 1};

            INDArray z = Nd4j.create(DataType.FLOAT, batch, out, oh, ow);
            INDArray dx = Nd4j.create(DataType.FLOAT, batch, in, h, w);
            INDArray dw = Nd4j.create(DataType.FLOAT, out, in, k, k);
            INDArray db = bias ? Nd4j.create(DataType.FLOAT, 1, out) : null;
            exec(new Conv2D(), iArgs, bias ? new INDArray[] {x, weights, b} : new INDArray[] {x, weights},
                    new INDArray[] {z});
            exec(new Conv2DDerivative(), iArgs, bias ? new INDArray[] {x, weights, b, dz}
                    : new INDArray[] {x, weights, dz}, bias ? new INDArray[] {dx, dw, db} : new INDArray[] {dx, dw});

            for (OneDnnConvolution.Layout layout : OneDnnConvolution.Layout.values()) {
                OneDnnConvolution conv = OneDnnConvolution.create(shape, batch, bias, layout);
                assertTrue(conv.computes(shape, batch, bias));
                INDArray zd = Nd4j.valueArrayOf(new long[] {batch, out, oh, ow}, Float.NaN, DataType.FLOAT);
                INDArray dxd = Nd4j.valueArrayOf(new long[] {batch, in, h, w}, Float.NaN, DataType.FLOAT);
                INDArray dwd = view(Nd4j.valueArrayOf(new long[] {1, 5 + out * in * k * k}, Float.NaN,
                        DataType.FLOAT), 5, out, in, k, k);
                INDArray dbd = bias ? view(Nd4j.valueArrayOf(new long[] {1, 2 + out}, Float.NaN, DataType.FLOAT), 2,
                        1, out) : null;
                conv.forward(x, weights, b, zd);
                conv.backward(x, weights, dz, dxd, dwd, dbd);
                assertClose(what + " " + layout + " output", z, zd, FLOAT_TOLERANCE);
                assertClose(what + " " + layout + " input gradient", dx, dxd, FLOAT_TOLERANCE);
                assertClose(what + " " + layout + " weight gradient", dw, dwd, FLOAT_TOLERANCE);
                if (bias) {
                    assertClose(what + " " + layout + " bias gradient", db, dbd, FLOAT_TOLERANCE);
                }
            }
        }
    }

    /**
     * Finite differences of {@code L = sum(output * r)} against the direct path's gradients, independently of
     * libnd4j. The convolution is linear in the input, the weights and the bias, so central differences are
     * exact up to float rounding: with step 0.5 and outputs of order 1, rounding error is about
     * {@code 1e-7 * sum|output * r| / 0.5}, well below the 2e-3 relative tolerance.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        ConvolutionShape shape = new ConvolutionShape(3, 5, 6, 4, 3, 3, 2, 2, 0, 1, 3, 3);
        OneDnnConvolution conv = OneDnnConvolution.create(shape, 2, true, OneDnnConvolution.Layout.BLOCKED);
        INDArray x = gaussian(21, 2, 3, 5, 6);
        INDArray weights = gaussian(22, 4, 3, 3, 3);
        INDArray bias = gaussian(23, 1, 4);
        INDArray r = gaussian(24, 2, 4, 3, 3);
        INDArray dx = x.ulike();
        INDArray dw = weights.ulike();
        INDArray db = bias.ulike();
        conv.backward(x, weights, r, dx, dw, db);
        INDArray z = Nd4j.create(DataType.FLOAT, 2, 4, 3, 3);
        for (INDArray[] pair : new INDArray[][] {{x, dx}, {weights, dw}, {bias, db}}) {
            INDArray param = pair[0];
            INDArray grad = pair[1];
            for (long i = 0; i < param.length(); i++) {
                double original = param.getDouble(i);
                param.putScalar(i, original + FD_STEP);
                conv.forward(x, weights, bias, z);
                double plus = z.castTo(DataType.DOUBLE).mul(r.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
                param.putScalar(i, original - FD_STEP);
                conv.forward(x, weights, bias, z);
                double minus = z.castTo(DataType.DOUBLE).mul(r.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
                param.putScalar(i, original);
                double numeric = (plus - minus) / (2 * FD_STEP);
                double analytic = grad.getDouble(i);
                assertTrue(Math.abs(numeric - analytic) <= FD_TOLERANCE * Math.max(1, Math.abs(numeric)),
                        "element " + i + " of " + java.util.Arrays.toString(param.shape()) + ": analytic " + analytic
                                + ", finite difference " + numeric);
            }
        }
    }

    /**
     * A training forward keeps the blocked input, and the backward pass on the same input array uses it (one
     * reorder fewer) with bit-identical gradients; a backward on another array, or after a plain forward (which
     * drops the copy) on an array changed in between, computes from the array it is given.
     */
    @Test
    void keptInputGivesTheSameGradientsAndIsDroppedWhenStale() {
        ConvolutionShape shape = new ConvolutionShape(16, 8, 8, 16, 3, 3, 1, 1, 1, 1, 8, 8);
        OneDnnConvolution conv = OneDnnConvolution.create(shape, 4, false, OneDnnConvolution.Layout.BLOCKED);
        assertTrue(conv.keptInputBytes() >= 4L * 16 * 8 * 8 * Float.BYTES, "16 channels compute blocked: "
                + conv.keptInputBytes());
        assertTrue(conv.reorders().contains("after a training forward"), conv.reorders());
        INDArray x = gaussian(31, 4, 16, 8, 8);
        INDArray other = gaussian(32, 4, 16, 8, 8);
        INDArray weights = gaussian(33, 16, 16, 3, 3);
        INDArray dz = gaussian(34, 4, 16, 8, 8);
        INDArray z = Nd4j.create(DataType.FLOAT, 4, 16, 8, 8);
        INDArray[] forX = gradients(conv, false, x, x, weights, dz, z);
        INDArray[] forOther = gradients(conv, false, other, other, weights, dz, z);

        INDArray[] kept = gradients(conv, true, x, x, weights, dz, z);
        assertClose("input gradient, kept input", forX[0], kept[0], 0.0);
        assertClose("weight gradient, kept input", forX[1], kept[1], 0.0);
        INDArray[] elsewhere = gradients(conv, true, x, other, weights, dz, z);
        assertClose("weight gradient, backward on another array", forOther[1], elsewhere[1], 0.0);

        INDArray changed = x.dup();
        conv.forwardForTraining(changed, weights, null, z);
        conv.forward(other, weights, null, z);
        changed.assign(other);
        INDArray dx = changed.ulike();
        INDArray dw = weights.ulike();
        conv.backward(changed, weights, dz, dx, dw, null);
        assertClose("weight gradient after a plain forward dropped the copy", forOther[1], dw, 0.0);
        conv.forwardForTraining(changed.assign(x), weights, null, z);
        conv.forgetInput();
        changed.assign(other);
        conv.backward(changed, weights, dz, dx, dw, null);
        assertClose("weight gradient after forgetInput", forOther[1], dw, 0.0);
    }

    /** Forward (for training or not) on {@code forwardInput}, then backward on {@code backwardInput}. */
    private static INDArray[] gradients(OneDnnConvolution conv, boolean training, INDArray forwardInput,
                                        INDArray backwardInput, INDArray weights, INDArray dz, INDArray z) {
        if (training) {
            conv.forwardForTraining(forwardInput, weights, null, z);
        } else {
            conv.forward(forwardInput, weights, null, z);
        }
        INDArray dx = backwardInput.ulike();
        INDArray dw = weights.ulike();
        conv.backward(backwardInput, weights, dz, dx, dw, null);
        return new INDArray[] {dx, dw};
    }

    @Test
    void switchTurnsTheDirectPathOffAndBadValuesAreNamed() {
        INDArray x = gaussian(1, 2, 3, 5, 5);
        assertTrue(OneDnn.applies(x, null));
        assertFalse(OneDnn.applies(x.castTo(DataType.DOUBLE)), "double precision runs libnd4j");
        assertFalse(OneDnn.applies(x.permute(0, 2, 3, 1)), "a non-contiguous view runs libnd4j");
        System.setProperty(OneDnn.PROPERTY, "libnd4j");
        assertEquals(OneDnn.Mode.LIBND4J, OneDnn.mode());
        assertFalse(OneDnn.applies(x));
        System.setProperty(OneDnn.PROPERTY, "mkl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, OneDnn::mode);
        assertTrue(e.getMessage().contains(OneDnn.PROPERTY) && e.getMessage().contains("mkl"), e.getMessage());
        assertFalse(OneDnn.keepsInput(), "the kept input is off by default");
        System.setProperty(OneDnn.KEEP_INPUT_PROPERTY, "true");
        assertTrue(OneDnn.keepsInput());
        System.setProperty(OneDnn.KEEP_INPUT_PROPERTY, "no");
        IllegalArgumentException keep = assertThrows(IllegalArgumentException.class, OneDnn::keepsInput);
        assertTrue(keep.getMessage().contains(OneDnn.KEEP_INPUT_PROPERTY) && keep.getMessage().contains("no"),
                keep.getMessage());
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        ConvolutionShape shape = new ConvolutionShape(2, 5, 5, 3, 3, 3, 1, 1, 1, 1, 5, 5);
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> OneDnnConvolution.create(shape, 0, false, OneDnnConvolution.Layout.BLOCKED));
        assertTrue(batch.getMessage().contains("batch"), batch.getMessage());
        OneDnnConvolution conv = OneDnnConvolution.create(shape, 1, false, OneDnnConvolution.Layout.BLOCKED);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(gaussian(1, 1, 2, 5, 4), gaussian(2, 3, 2, 3, 3), null,
                        Nd4j.create(DataType.FLOAT, 1, 3, 5, 5)));
        assertTrue(length.getMessage().contains("50 elements"), length.getMessage());
    }

    private static INDArray view(INDArray flat, int offset, long... shape) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + length)).reshape('c', shape);
    }

    private static void exec(DynamicCustomOp op, long[] iArgs, INDArray[] in, INDArray[] out) {
        op.addIArgument(iArgs);
        op.addInputArgument(in);
        op.addOutputArgument(out);
        Nd4j.exec(op);
    }
}
