package org.rpg4j.tensor;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between ND4J arrays and the primitive arrays the mask, schedule and regrowth code
 * works on. Primitive arrays always hold the <b>logical C-order flattening</b> of the array's
 * shape (index {@code ((i0 * d1 + i1) * d2 + i2) ...}), whatever the array's storage order, view
 * offset or strides: a DL4J parameter view into the flat parameter buffer, or a dense weight
 * stored {@code 'f'}-ordered as {@code [nIn, nOut]}, is read and written by logical position.
 *
 * <p>On ND4J's CPU backend ({@link HostAccess#hostPointer(INDArray)}) a C-contiguous float array
 * is read and a new mask written with one bulk copy through its host pointer; other layouts are
 * first copied to C order by ND4J ({@code dup('c')}). On other backends, or with {@link
 * HostAccess.Mode#GENERIC}, ND4J's generic API does the copies, with the same results.
 */
public final class MaskArrays {
    /** Elements converted per step when a mask is written to native memory (fits in L2 cache). */
    private static final int CHUNK = 1 << 14;

    private MaskArrays() {
    }

    /**
     * @param a any numeric array of at most {@link Integer#MAX_VALUE} elements; not modified
     * @return its values as floats, C-order logical flattening, length {@code a.length()}
     * @throws IllegalArgumentException if {@code a} is null or too long
     */
    public static float[] values(INDArray a) {
        return values(a, null);
    }

    /**
     * As {@link #values(INDArray)}, into an array the caller reuses across calls (a pruner's update
     * buffers), so that repeated reads of the same tensor allocate nothing on the CPU backend.
     *
     * @param a any numeric array of at most {@link Integer#MAX_VALUE} elements; not modified
     * @param into null, or an array to overwrite; used only if its length is {@code a.length()}
     * @return {@code into} holding the values if it fits, else a new array; C-order logical flattening
     * @throws IllegalArgumentException if {@code a} is null or too long
     */
    public static float[] values(INDArray a, float[] into) {
        int n = length("a", a);
        float[] target = into != null && into.length == n ? into : null;
        if (n == 0) {
            return target != null ? target : new float[0];
        }
        float[] direct = bulkCopy(a, n, target);
        if (direct != null) {
            return direct;
        }
        INDArray copy = a.dup('c');
        if (copy.dataType() != DataType.FLOAT) {
            copy = copy.castTo(DataType.FLOAT);
        }
        direct = bulkCopy(copy, n, target);
        if (direct != null) {
            return direct;
        }
        float[] data = copy.data().asFloat();
        if (target != null) {
            System.arraycopy(data, 0, target, 0, n);
            return target;
        }
        return data.length == n ? data : java.util.Arrays.copyOf(data, n);
    }

    /** @return the values of a C-contiguous float array through its host pointer, or null if that route is closed */
    private static float[] bulkCopy(INDArray a, int n, float[] into) {
        if (!HostAccess.hostPointer(a) || a.dataType() != DataType.FLOAT) {
            return null;
        }
        HostFloats host = HostFloats.of(a);
        if (host == null || !host.cContiguous()) {
            return null;
        }
        float[] data = into != null ? into : new float[n];
        host.buffer().get(data, 0, n);
        Reference.reachabilityFence(a);
        return data;
    }

    /**
     * @param w weights of any numeric type; not modified
     * @return {@code |w|} as floats, C-order logical flattening
     * @throws IllegalArgumentException if {@code w} is null or too long
     */
    public static float[] magnitudes(INDArray w) {
        float[] v = values(w);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        return v;
    }

    /**
     * @param mask flat mask in C order of {@code shape}; not modified
     * @param shape logical shape, product = {@code mask.length}
     * @param dtype data type of the result (floating point, integer or BOOL)
     * @return a new C-ordered array of {@code shape}: 1 where {@code mask} is true, 0 elsewhere
     * @throws IllegalArgumentException if an argument is null or the shape does not fit the mask
     */
    public static INDArray toMaskArray(boolean[] mask, long[] shape, DataType dtype) {
        if (mask == null || shape == null || dtype == null) {
            throw new IllegalArgumentException("mask, shape and dtype must not be null, got mask=" + mask
                    + ", shape=" + java.util.Arrays.toString(shape) + ", dtype=" + dtype);
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape must have dimensions >= 0, got "
                        + java.util.Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != mask.length) {
            throw new IllegalArgumentException("shape must describe mask.length = " + mask.length + " elements, got "
                    + java.util.Arrays.toString(shape) + " (" + n + " elements)");
        }
        INDArray array;
        if (mask.length == 0) {
            array = Nd4j.create(DataType.FLOAT, shape.clone(), 'c');
        } else {
            array = Nd4j.createUninitialized(DataType.FLOAT, shape.clone(), 'c');
            HostFloats host = HostAccess.hostPointer(array) ? HostFloats.of(array) : null;
            if (host != null) {
                writeInChunks(mask, host.buffer());
                Reference.reachabilityFence(array);
            } else {
                array = Nd4j.create(toFloats(mask, new float[mask.length], 0, mask.length), shape.clone(), 'c');
            }
        }
        return dtype == DataType.FLOAT ? array : array.castTo(dtype);
    }

    /**
     * One pass over the mask: a chunk of floats that stays in cache, then a bulk copy to native
     * memory (a full-size float[] first costs a second pass and twice the memory traffic).
     */
    private static void writeInChunks(boolean[] mask, FloatBuffer target) {
        float[] chunk = new float[Math.min(CHUNK, mask.length)];
        for (int from = 0; from < mask.length; from += CHUNK) {
            int length = Math.min(CHUNK, mask.length - from);
            target.put(toFloats(mask, chunk, from, length), 0, length);
        }
    }

    /** @return {@code out} with {@code out[j] = mask[from + j] ? 1 : 0} for {@code j < length} */
    private static float[] toFloats(boolean[] mask, float[] out, int from, int length) {
        for (int j = 0; j < length; j++) {
            // branch-free (masks are unpredictable): the bits of 1.0f where set, of 0.0f elsewhere
            out[j] = Float.intBitsToFloat(-(mask[from + j] ? 1 : 0) & 0x3f800000);
        }
        return out;
    }

    /**
     * @param maskArray an array holding only 0 and 1, any order or view; not modified
     * @return true where it holds 1, C-order logical flattening
     * @throws IllegalArgumentException if it is null, too long, or holds a value other than 0 or 1
     */
    public static boolean[] fromMaskArray(INDArray maskArray) {
        float[] v = values(maskArray);
        boolean[] mask = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 1.0f) {
                mask[i] = true;
            } else if (v[i] != 0.0f) {
                throw new IllegalArgumentException("maskArray must hold only 0 and 1, got " + v[i]
                        + " at flat index " + i);
            }
        }
        return mask;
    }

    private static int length(String name, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        long n = a.length();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must have at most " + Integer.MAX_VALUE
                    + " elements, got " + n);
        }
        return (int) n;
    }
}
