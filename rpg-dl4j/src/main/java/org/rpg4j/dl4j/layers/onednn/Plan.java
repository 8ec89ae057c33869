package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;

/**
 * One pass (forward, or backward-data then backward-weights): the primitives in order, each with the reorders
 * its arguments need before and after it. Reordered copies live in the thread's {@link Scratch} slots, one
 * slot per copy within the pass; a copy of the same array in the same layout is made once per pass.
 */
final class Plan {

    private final Resources resources;
    private final List<Step> steps = new ArrayList<>();
    private final List<Copy> copies = new ArrayList<>();
    private final List<Call> pending = new ArrayList<>();
    private int reorders;

    Plan(Resources resources) {
        this.resources = resources;
    }

    /** A primitive execution with its arguments. */
    private record Step(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {
    }

    /** A reordered copy: its memory object, the slot that holds its data, and its size. */
    private record Copy(dnnl_memory user, dnnl_memory_desc_t md, dnnl_memory memory, int slot, long bytes) {
    }

    /** Starts the next primitive of the pass. */
    Call call(dnnl_primitive_desc pd) {
        return new Call(pd);
    }

    /** Builds the argument arrays; call once, after the last {@link Call}'s arguments. */
    void finish() {
        for (Call call : pending) {
            call.build();
        }
        pending.clear();
    }

    /** @return the number of reorders per run */
    int reorders() {
        return reorders;
    }

    /** Runs the pass on the memory handles set by the caller and waits for it. */
    void run() {
        Scratch scratch = Scratch.current();
        for (Copy copy : copies) {
            Resources.setHandle(copy.memory(), scratch.slot(copy.slot(), copy.bytes()));
        }
        for (Step step : steps) {
            Resources.check(dnnl_primitive_execute(step.primitive(), resources.stream(), step.count(), step.args()),
                    "execute");
        }
        Resources.check(dnnl_stream_wait(resources.stream()), "stream wait");
    }

    /** One primitive's arguments, collected until {@link Plan#finish()}. */
    final class Call {
        private final dnnl_primitive_desc pd;
        private final List<Integer> ids = new ArrayList<>();
        private final List<dnnl_memory> memories = new ArrayList<>();
        private final List<Step> after = new ArrayList<>();

        private Call(dnnl_primitive_desc pd) {
            this.pd = pd;
            pending.add(this);
        }

        /** An argument passed as the caller's array. */
        void direct(int id, dnnl_memory user) {
            ids.add(id);
            memories.add(user);
        }

        /** An argument read by the primitive: reordered from the caller's array first if the layouts differ. */
        void input(int id, dnnl_memory user, dnnl_memory_desc_t userMd, int query) {
            dnnl_memory_desc_t want = dnnl_primitive_desc_query_md(pd, query, 0);
            if (dnnl_memory_desc_equal(want, userMd) == 1) {
                direct(id, user);
                return;
            }
            for (Copy copy : copies) {
                if (copy.user() == user && dnnl_memory_desc_equal(copy.md(), want) == 1) {
                    direct(id, copy.memory());
                    return;
                }
            }
            Copy copy = copy(user, want);
            steps.add(reorderStep(userMd, want, user, copy.memory()));
            direct(id, copy.memory());
        }

        /**
         * An argument read by the primitive from {@code target}, which a reorder from the caller's array fills
         * first; the caller owns {@code target}'s data (it outlives the pass, unlike a scratch copy).
         */
        void inputInto(int id, dnnl_memory user, dnnl_memory_desc_t userMd, dnnl_memory target,
                       dnnl_memory_desc_t targetMd) {
            steps.add(reorderStep(userMd, targetMd, user, target));
            direct(id, target);
        }

        /** An argument written by the primitive: reordered into the caller's array after it if layouts differ. */
        void output(int id, dnnl_memory user, dnnl_memory_desc_t userMd, int query) {
            dnnl_memory_desc_t have = dnnl_primitive_desc_query_md(pd, query, 0);
            if (dnnl_memory_desc_equal(have, userMd) == 1) {
                direct(id, user);
                return;
            }
            Copy copy = copy(null, have);
            after.add(reorderStep(have, userMd, copy.memory(), user));
            direct(id, copy.memory());
        }

        /**
         * An argument the primitive adds into (oneDNN's sum post-op): {@code addend}, the caller's array in its
         * layout {@code addendMd}, is reordered into the destination first, and the destination reordered into the caller's
         * {@code user} array after the primitive if the layouts differ.
         */
        void accumulate(int id, dnnl_memory user, dnnl_memory_desc_t userMd, int query, dnnl_memory addend,
                        dnnl_memory_desc_t addendMd) {
            dnnl_memory_desc_t have = dnnl_primitive_desc_query_md(pd, query, 0);
            if (dnnl_memory_desc_equal(have, userMd) == 1) {
                steps.add(reorderStep(addendMd, userMd, addend, user));
                direct(id, user);
                return;
            }
            Copy copy = copy(null, have);
            steps.add(reorderStep(addendMd, have, addend, copy.memory()));
            after.add(reorderStep(have, userMd, copy.memory(), user));
            direct(id, copy.memory());
        }

        private void build() {
            dnnl_exec_arg_t args = resources.own(new dnnl_exec_arg_t(ids.size()));
            for (int i = 0; i < ids.size(); i++) {
                args.position(i).arg(ids.get(i)).memory(memories.get(i));
            }
            steps.add(new Step(resources.primitive(pd), args.position(0), ids.size()));
            steps.addAll(after);
        }
    }

    private Copy copy(dnnl_memory user, dnnl_memory_desc_t md) {
        Copy copy = new Copy(user, md, resources.userMemory(md), copies.size(), dnnl_memory_desc_get_size(md));
        copies.add(copy);
        return copy;
    }

    private Step reorderStep(dnnl_memory_desc_t from, dnnl_memory_desc_t to, dnnl_memory source,
                             dnnl_memory target) {
        reorders++;
        dnnl_exec_arg_t args = resources.own(new dnnl_exec_arg_t(2));
        args.position(0).arg(DNNL_ARG_FROM).memory(source);
        args.position(1).arg(DNNL_ARG_TO).memory(target);
        return new Step(resources.reorder(from, to), args.position(0), 2);
    }
}
