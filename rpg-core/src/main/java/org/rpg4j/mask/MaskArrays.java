package org.rpg4j.mask;

import org.bytedeco.javacpp.FloatPointer;
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
 * <p>Reading makes one contiguous C-order copy ({@code dup('c')}); it never reads the backing
 * buffer of a view directly (the buffer of a view ignores its offset and strides).
 */
public final class MaskArrays {
    private MaskArrays() {
    }

    /**
     * @param a any numeric array of at most {@link Integer#MAX_VALUE} elements; not modified
     * @return its values as floats, C-order logical flattening, length {@code a.length()}
     * @throws IllegalArgumentException if {@code a} is null or too long
     */
    public static float[] values(INDArray a) {
        int n = length("a", a);
        if (n == 0) {
            return new float[0];
        }
        INDArray copy = a.dup('c');
        if (copy.dataType() != DataType.FLOAT) {
            copy = copy.castTo(DataType.FLOAT);
        }
        float[] data = copy.data().asFloat();
        return data.length == n ? data : java.util.Arrays.copyOf(data, n);
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
        float[] data = new float[mask.length];
        for (int i = 0; i < data.length; i++) {
            data[i] = mask[i] ? 1.0f : 0.0f;
        }
        INDArray array;
        if (data.length == 0) {
            array = Nd4j.create(DataType.FLOAT, shape.clone(), 'c');
        } else {
            // One bulk copy through the buffer's pointer: Nd4j.create(float[], ...) and createFromArray
            // copy element by element (21 ms against 10 ms for a 2.4 M-element kernel, allocation included).
            array = Nd4j.createUninitialized(DataType.FLOAT, shape.clone(), 'c');
            ((FloatPointer) array.data().addressPointer()).put(data, 0, data.length);
        }
        return dtype == DataType.FLOAT ? array : array.castTo(dtype);
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

    /**
     * @param mask a mask; not modified
     * @return the number of true entries
     * @throws IllegalArgumentException if {@code mask} is null
     */
    public static long count(boolean[] mask) {
        if (mask == null) {
            throw new IllegalArgumentException("mask must not be null");
        }
        long n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
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
