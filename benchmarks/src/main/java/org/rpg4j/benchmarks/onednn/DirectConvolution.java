package org.rpg4j.benchmarks.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One 2-D convolution shape (float32, NCHW activations, {@code [out, in, kh, kw]} weights) run by
 * oneDNN primitives created once: forward, backward-data and backward-weights (+ bias), with
 * cached reorders between the caller's plain layouts and the layouts the primitives chose.
 * With {@code blocked == false} the primitives are described in the plain layouts (no reorders).
 */
final class DirectConvolution implements AutoCloseable {

    private final dnnl_stream stream;
    private final List<Pointer> owned = new ArrayList<>();
    private final dnnl_memory src;
    private final dnnl_memory weights;
    private final dnnl_memory bias;
    private final dnnl_memory dst;
    private final dnnl_memory diffSrc;
    private final dnnl_memory diffWeights;
    private final dnnl_memory diffBias;
    private final dnnl_memory diffDst;
    private final Step forward;
    private final Step backwardData;
    private final Step backwardWeights;
    final String layouts;

    /** Geometry: batch n, channels c, h, w in; k out channels, kh x kw kernel, strides, paddings. */
    record Shape(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw, int padTop, int padLeft,
                 int padBottom, int padRight, int oh, int ow, boolean bias) {
    }

    DirectConvolution(dnnl_engine engine, dnnl_stream stream, Shape s, boolean blocked) {
        this.stream = stream;
        long[] srcDims = {s.n(), s.c(), s.h(), s.w()};
        long[] weiDims = {s.k(), s.c(), s.kh(), s.kw()};
        long[] dstDims = {s.n(), s.k(), s.oh(), s.ow()};
        long[] biasDims = {s.k()};
        dnnl_memory_desc_t srcUser = md(srcDims, dnnl_nchw);
        dnnl_memory_desc_t weiUser = md(weiDims, dnnl_oihw);
        dnnl_memory_desc_t dstUser = md(dstDims, dnnl_nchw);
        dnnl_memory_desc_t biasUser = md(biasDims, dnnl_x);
        dnnl_memory_desc_t srcAny = blocked ? md(srcDims, dnnl_format_tag_any) : srcUser;
        dnnl_memory_desc_t weiAny = blocked ? md(weiDims, dnnl_format_tag_any) : weiUser;
        dnnl_memory_desc_t dstAny = blocked ? md(dstDims, dnnl_format_tag_any) : dstUser;
        long[] strides = {s.sh(), s.sw()};
        long[] padL = {s.padTop(), s.padLeft()};
        long[] padR = {s.padBottom(), s.padRight()};

        dnnl_convolution_desc_t fd = own(new dnnl_convolution_desc_t());
        check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct, srcAny, weiAny,
                s.bias() ? biasUser : null, dstAny, strides, padL, padR), "forward desc");
        dnnl_primitive_desc fpd = pd(new const_dnnl_op_desc_t(fd), engine, null);
        dnnl_convolution_desc_t bdd = own(new dnnl_convolution_desc_t());
        check(dnnl_convolution_backward_data_desc_init(bdd, dnnl_convolution_direct, srcAny, weiAny, dstAny, strides,
                padL, padR), "backward data desc");
        dnnl_primitive_desc bdpd = pd(new const_dnnl_op_desc_t(bdd), engine, fpd);
        dnnl_convolution_desc_t bwd = own(new dnnl_convolution_desc_t());
        check(dnnl_convolution_backward_weights_desc_init(bwd, dnnl_convolution_direct, srcAny, weiAny,
                s.bias() ? biasUser : null, dstAny, strides, padL, padR), "backward weights desc");
        dnnl_primitive_desc bwpd = pd(new const_dnnl_op_desc_t(bwd), engine, fpd);

        src = userMemory(srcUser, engine);
        weights = userMemory(weiUser, engine);
        bias = s.bias() ? userMemory(biasUser, engine) : null;
        dst = userMemory(dstUser, engine);
        diffSrc = userMemory(srcUser, engine);
        diffWeights = userMemory(weiUser, engine);
        diffBias = s.bias() ? userMemory(biasUser, engine) : null;
        diffDst = userMemory(dstUser, engine);

        forward = new Step(engine, fpd);
        forward.in(DNNL_ARG_SRC, src, srcUser, dnnl_query_src_md);
        forward.in(DNNL_ARG_WEIGHTS, weights, weiUser, dnnl_query_weights_md);
        if (s.bias()) {
            forward.plain(DNNL_ARG_BIAS, bias);
        }
        forward.out(DNNL_ARG_DST, dst, dstUser, dnnl_query_dst_md);
        forward.finish();

        backwardData = new Step(engine, bdpd);
        backwardData.in(DNNL_ARG_DIFF_DST, diffDst, dstUser, dnnl_query_diff_dst_md);
        backwardData.in(DNNL_ARG_WEIGHTS, weights, weiUser, dnnl_query_weights_md);
        backwardData.out(DNNL_ARG_DIFF_SRC, diffSrc, srcUser, dnnl_query_diff_src_md);
        backwardData.finish();

        backwardWeights = new Step(engine, bwpd);
        backwardWeights.in(DNNL_ARG_SRC, src, srcUser, dnnl_query_src_md);
        backwardWeights.in(DNNL_ARG_DIFF_DST, diffDst, dstUser, dnnl_query_diff_dst_md);
        if (s.bias()) {
            backwardWeights.plain(DNNL_ARG_DIFF_BIAS, diffBias);
        }
        backwardWeights.out(DNNL_ARG_DIFF_WEIGHTS, diffWeights, weiUser, dnnl_query_diff_weights_md);
        backwardWeights.finish();
        layouts = "fwd " + forward.reorders + " reorders, bwd-data " + backwardData.reorders + ", bwd-weights "
                + backwardWeights.reorders;
    }

    /** z = conv(x, W) + b; pointers to float32 buffers of the plain shapes. */
    void forward(Pointer x, Pointer w, Pointer b, Pointer z) {
        handle(src, x);
        handle(weights, w);
        if (bias != null) {
            handle(bias, b);
        }
        handle(dst, z);
        forward.run(stream);
        check(dnnl_stream_wait(stream), "wait");
    }

    /** dx, dW (and db) from x, W and dz; every output overwritten. */
    void backward(Pointer x, Pointer w, Pointer dz, Pointer dx, Pointer dw, Pointer db) {
        handle(src, x);
        handle(weights, w);
        handle(diffDst, dz);
        handle(diffSrc, dx);
        handle(diffWeights, dw);
        if (diffBias != null) {
            handle(diffBias, db);
        }
        backwardData.run(stream);
        backwardWeights.run(stream);
        check(dnnl_stream_wait(stream), "wait");
    }

    private static void handle(dnnl_memory memory, Pointer data) {
        check(dnnl_memory_set_data_handle_v2(memory, data, null), "set handle");
    }

    /** A primitive with the reorders around it. */
    private final class Step {
        private final dnnl_engine engine;
        private final dnnl_primitive_desc pd;
        private final List<dnnl_primitive> before = new ArrayList<>();
        private final List<dnnl_exec_arg_t> beforeArgs = new ArrayList<>();
        private final List<dnnl_primitive> after = new ArrayList<>();
        private final List<dnnl_exec_arg_t> afterArgs = new ArrayList<>();
        private final List<int[]> argIds = new ArrayList<>();
        private final List<dnnl_memory> argMemories = new ArrayList<>();
        private dnnl_primitive primitive;
        private dnnl_exec_arg_t args;
        int reorders;

        Step(dnnl_engine engine, dnnl_primitive_desc pd) {
            this.engine = engine;
            this.pd = pd;
        }

        void plain(int arg, dnnl_memory memory) {
            argIds.add(new int[] {arg});
            argMemories.add(memory);
        }

        void in(int arg, dnnl_memory user, dnnl_memory_desc_t userMd, int query) {
            dnnl_memory_desc_t want = dnnl_primitive_desc_query_md(pd, query, 0);
            if (dnnl_memory_desc_equal(want, userMd) == 1) {
                plain(arg, user);
                return;
            }
            dnnl_memory inner = innerMemory(want, engine);
            before.add(reorder(userMd, want, engine));
            beforeArgs.add(args2(DNNL_ARG_FROM, user, DNNL_ARG_TO, inner));
            plain(arg, inner);
            reorders++;
        }

        void out(int arg, dnnl_memory user, dnnl_memory_desc_t userMd, int query) {
            dnnl_memory_desc_t have = dnnl_primitive_desc_query_md(pd, query, 0);
            if (dnnl_memory_desc_equal(have, userMd) == 1) {
                plain(arg, user);
                return;
            }
            dnnl_memory inner = innerMemory(have, engine);
            after.add(reorder(have, userMd, engine));
            afterArgs.add(args2(DNNL_ARG_FROM, inner, DNNL_ARG_TO, user));
            plain(arg, inner);
            reorders++;
        }

        void finish() {
            primitive = own(new dnnl_primitive());
            check(dnnl_primitive_create(primitive, pd), "primitive");
            args = own(new dnnl_exec_arg_t(argIds.size()));
            for (int i = 0; i < argIds.size(); i++) {
                args.position(i).arg(argIds.get(i)[0]).memory(argMemories.get(i));
            }
            args.position(0);
        }

        void run(dnnl_stream stream) {
            for (int i = 0; i < before.size(); i++) {
                check(dnnl_primitive_execute(before.get(i), stream, 2, beforeArgs.get(i)), "reorder");
            }
            check(dnnl_primitive_execute(primitive, stream, argIds.size(), args), "execute");
            for (int i = 0; i < after.size(); i++) {
                check(dnnl_primitive_execute(after.get(i), stream, 2, afterArgs.get(i)), "reorder");
            }
        }
    }

    private dnnl_exec_arg_t args2(int a, dnnl_memory ma, int b, dnnl_memory mb) {
        dnnl_exec_arg_t args = own(new dnnl_exec_arg_t(2));
        args.position(0).arg(a).memory(ma);
        args.position(1).arg(b).memory(mb);
        return args.position(0);
    }

    private dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to, dnnl_engine engine) {
        dnnl_primitive_desc rpd = own(new dnnl_primitive_desc());
        check(dnnl_reorder_primitive_desc_create(rpd, from, engine, to, engine, null), "reorder desc");
        dnnl_primitive p = own(new dnnl_primitive());
        check(dnnl_primitive_create(p, rpd), "reorder primitive");
        return p;
    }

    private dnnl_primitive_desc pd(const_dnnl_op_desc_t desc, dnnl_engine engine, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = own(new dnnl_primitive_desc());
        check(dnnl_primitive_desc_create(pd, desc, null, engine, hint), "primitive desc");
        return pd;
    }

    private dnnl_memory userMemory(dnnl_memory_desc_t md, dnnl_engine engine) {
        dnnl_memory m = own(new dnnl_memory());
        check(dnnl_memory_create(m, md, engine, null), "memory");
        return m;
    }

    private dnnl_memory innerMemory(dnnl_memory_desc_t md, dnnl_engine engine) {
        long size = dnnl_memory_desc_get_size(md);
        // 64-byte aligned scratch: over-allocate and step forward
        BytePointer raw = own(new BytePointer(size + 64));
        long shift = (64 - (raw.address() & 63)) & 63;
        BytePointer aligned = new BytePointer(raw).position(shift);
        dnnl_memory m = own(new dnnl_memory());
        check(dnnl_memory_create(m, md, engine, aligned), "memory");
        return m;
    }

    private dnnl_memory_desc_t md(long[] dims, int tag) {
        dnnl_memory_desc_t md = own(new dnnl_memory_desc_t());
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "memory desc");
        return md;
    }

    private <P extends Pointer> P own(P p) {
        owned.add(p);
        return p;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    @Override
    public void close() {
        // the probe keeps its primitives for the JVM's lifetime
    }
}
