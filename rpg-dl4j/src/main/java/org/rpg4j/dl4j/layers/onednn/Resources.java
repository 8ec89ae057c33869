package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle_v2;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Pointer;

/**
 * The native objects of one {@link OneDnnConvolution} or {@link OneDnnBatchNorm}: created through here, destroyed together by
 * {@link #close()} (which a {@link java.lang.ref.Cleaner} calls once the convolution is unreachable).
 */
final class Resources implements Runnable {

    private final List<Pointer> structs = new ArrayList<>();
    private final List<dnnl_primitive_desc> descs = new ArrayList<>();
    private final List<dnnl_primitive> primitives = new ArrayList<>();
    private final List<dnnl_memory> memories = new ArrayList<>();
    private final dnnl_stream stream = new dnnl_stream();

    Resources() {
        check(dnnl_stream_create(stream, Natives.engine(), dnnl_stream_default_flags), "stream");
    }

    /** @return the stream the primitives run on */
    dnnl_stream stream() {
        return stream;
    }

    /** Keeps a JavaCPP-allocated struct (a descriptor, an argument array) reachable as long as this. */
    <P extends Pointer> P own(P struct) {
        structs.add(struct);
        return struct;
    }

    dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t desc, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), null, Natives.engine(), hint),
                "convolution primitive desc");
        descs.add(pd);
        return pd;
    }

    dnnl_primitive_desc primitiveDesc(dnnl_batch_normalization_desc_t desc, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), null, Natives.engine(), hint),
                "batch normalization primitive desc");
        descs.add(pd);
        return pd;
    }

    dnnl_primitive primitive(dnnl_primitive_desc pd) {
        dnnl_primitive primitive = new dnnl_primitive();
        check(dnnl_primitive_create(primitive, pd), "primitive");
        primitives.add(primitive);
        return primitive;
    }

    dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, Natives.engine(), to, Natives.engine(), null),
                "reorder primitive desc");
        descs.add(pd);
        return primitive(pd);
    }

    /** @return a memory object without data; its handle is set before every run */
    dnnl_memory userMemory(dnnl_memory_desc_t md) {
        dnnl_memory memory = new dnnl_memory();
        check(dnnl_memory_create(memory, md, Natives.engine(), null), "memory");
        memories.add(memory);
        return memory;
    }

    static void setHandle(dnnl_memory memory, Pointer data) {
        check(dnnl_memory_set_data_handle_v2(memory, data, null), "memory data handle");
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed: status " + status);
        }
    }

    /** Destroys every native object (the Cleaner's action). */
    @Override
    public void run() {
        primitives.forEach(p -> dnnl_primitive_destroy(p));
        descs.forEach(d -> dnnl_primitive_desc_destroy(d));
        memories.forEach(m -> dnnl_memory_destroy(m));
        dnnl_stream_destroy(stream);
        primitives.clear();
        descs.clear();
        memories.clear();
        structs.clear();
    }
}
