package io.dynstack.agent.weave;

import io.dynstack.runtime.WovenMethods;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Weaves one kernel method. The method is buffered whole (its max_locals and max_stack decide its
 * frame size before the first instruction is written), then becomes:
 *
 * <pre>
 *   ks = KernelStack.current(); saved = ks.enter(FRAME, ID)  // or enterChecked(FRAME, ID) at the threshold;
 *                                                            // enter(FRAME) with methods=false
 *   [ks.noSleepEnter()]                                      // @NoSleep
 *   [ks.expandStack(BYTES, ID)]                              // @ExpandStack
 *   [ks.park()]                                              // @IdlePoint
 *   start:
 *     [ks.expandStack(MARGIN, ID)]  before each reflective call // guarantee=MARGIN
 *     ...original code, with  [ks.wake()] [ks.noSleepExit()] ks.restore(saved)  before every return,
 *        and  ks.restore(saved - FRAME)  at the top of every existing handler...
 *   end:
 *   handler (catch any, start..end):  [ks.wake()] [ks.noSleepExit()] ks.restore(saved); throw
 *   (ks.wake() in @IdlePoint methods: leaving the idle point is the thread's switch in)
 * </pre>
 *
 * ID is the method's id in {@link WovenMethods}, which indexes its per-method counters. ks and saved
 * live in two new locals above the original ones, so no original local moves; every
 * existing stack map frame gets them appended. Restoring an absolute sp, rather than adding the
 * frame back, keeps the accounting exact whatever a callee or an exception did in between. In a
 * constructor the catch-all starts after the super() or this() call: a handler may not cover the
 * code where {@code this} is uninitialised and also the code after it, so the code before that
 * call (the arguments of super(...)) gets a second catch-all whose frame keeps {@code this}
 * uninitialised. No handler may cover the call itself: when the super or this constructor throws,
 * this frame is restored by the nearest woven caller's handler, not by the constructor.
 */
final class MethodWeaver extends MethodNode {

    static final String KERNEL_STACK = "io/dynstack/runtime/KernelStack";
    /** max_locals is a u2 in the class file. */
    private static final int MAX_LOCALS = 65_535;
    private static final String EXPAND_ANNOTATION = "Lio/dynstack/annotation/ExpandStack;";
    private static final String NO_SLEEP_ANNOTATION = "Lio/dynstack/annotation/NoSleep;";
    private static final String IDLE_POINT_ANNOTATION = "Lio/dynstack/annotation/IdlePoint;";

    private final String owner;
    /** Class files of version 50 (Java 6) and later carry stack map frames, which the weave must extend. */
    private final boolean needsStackMapFrames;
    private final WeaveConfig config;
    private final boolean forcedCheck;
    private final int reflectiveCallBytes;
    private final MethodVisitor next;
    private final Consumer<WovenMethods.Method> woven;

    MethodWeaver(int access, String name, String descriptor, String signature, String[] exceptions, String owner,
                 int classVersion, WeaveConfig config, boolean forcedCheck, int reflectiveCallBytes,
                 MethodVisitor next, Consumer<WovenMethods.Method> woven) {
        super(Opcodes.ASM9, access, name, descriptor, signature, exceptions);
        this.owner = owner;
        this.needsStackMapFrames = (classVersion & 0xFFFF) >= Opcodes.V1_6;
        this.config = config;
        this.forcedCheck = forcedCheck;
        this.reflectiveCallBytes = reflectiveCallBytes;
        this.next = next;
        this.woven = woven;
    }

    @Override
    public void visitEnd() {
        super.visitEnd();
        woven.accept(weave());
        accept(next);
    }

    /** What is woven into one method, decided from its sizes and annotations before any instruction is. */
    private record Plan(int frame, boolean checked, int expand, boolean noSleep, boolean idlePoint, int id, int ks,
                        int saved) {
    }

    private WovenMethods.Method weave() {
        Plan plan = plan();
        int originalMaxStack = maxStack;
        boolean hasHandlers = restoreAtHandlers(plan);
        boolean mapsAhead = exitBeforeReturns(plan);
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        boolean constructor = "<init>".equals(name);
        LabelNode uninitialised = new LabelNode();
        LabelNode initialising = new LabelNode();
        instructions.insert(prologue(plan, constructor ? uninitialised : start));
        if (constructor) {
            AbstractInsnNode init = initCall();
            requireThisKept(init);
            instructions.insertBefore(init, initialising);
            instructions.insert(init, start);
        }
        instructions.add(end);
        if (needsStackMapFrames) {
            appendStackLocalsToFrames(plan.ks);
        }
        catchAll(plan, start, end, List.of());
        if (constructor) {
            // The code before super()/this() needs a catch-all of its own, whose frame keeps this
            // uninitialised. The call itself cannot be covered: HotSpot checks a handler there
            // against locals with this initialised but still flagged uninitialised, which no
            // stack map frame can express.
            catchAll(plan, uninitialised, initialising, List.of(Opcodes.UNINITIALIZED_THIS));
        }
        maxLocals += 2;
        maxStack = maxStack(originalMaxStack, mapsAhead, hasHandlers);
        return new WovenMethods.Method(plan.id, owner.replace('/', '.'), name, desc, plan.frame, plan.checked,
                plan.expand);
    }

    private Plan plan() {
        FrameSizeModel.Sizes sizes = FrameSizeModel.of(maxLocals, maxStack,
                FrameSizeModel.declared(visibleAnnotations, invisibleAnnotations));
        boolean checked = forcedCheck || config.checks(sizes);
        Integer expandBytes = annotationInt(EXPAND_ANNOTATION, "bytes");
        int expand = expandBytes == null || !config.expand() ? 0 : Math.max(expandBytes, 0);
        if (maxLocals + 2 > MAX_LOCALS) {
            throw new WeaveException(name + desc + " uses " + maxLocals + " locals; the weaver's two more would pass"
                    + " the class file limit of " + MAX_LOCALS);
        }
        return new Plan(sizes.frame(), checked, expand, hasAnnotation(NO_SLEEP_ANNOTATION),
                hasAnnotation(IDLE_POINT_ANNOTATION), WovenMethods.nextId(), maxLocals, maxLocals + 1);
    }

    /**
     * ks.restore(saved - FRAME) at the top of every existing handler: the sp of this frame, whatever
     * the callee left; returns whether there are any.
     */
    private boolean restoreAtHandlers(Plan plan) {
        Set<LabelNode> handlers = new LinkedHashSet<>();
        for (TryCatchBlockNode block : tryCatchBlocks) {
            handlers.add(block.handler);
        }
        for (LabelNode h : handlers) {
            instructions.insertBefore(firstInstruction(h), restore(plan.ks, plan.saved, plan.frame));
        }
        return !handlers.isEmpty();
    }

    /**
     * The exit before every return, and with {@code guarantee=} the map-ahead before every
     * reflective call; returns whether any map-ahead was woven.
     */
    private boolean exitBeforeReturns(Plan plan) {
        boolean mapsAhead = false;
        for (AbstractInsnNode insn : instructions.toArray()) {
            int op = insn.getOpcode();
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                instructions.insertBefore(insn, exit(plan));
            }
            // The target is chosen at run time, so the analysis cannot bound its chain; every
            // unchecked chain fits in the guarantee's margin, so mapping that much covers any target.
            if (reflectiveCallBytes > 0 && insn instanceof MethodInsnNode call
                    && CheckSites.reflective(call.owner, call.name)) {
                instructions.insertBefore(insn, expandStack(plan.ks, reflectiveCallBytes, plan.id));
                mapsAhead = true;
            }
        }
        return mapsAhead;
    }

    /** ks = KernelStack.current(); saved = ks.enter(FRAME, ID), then the annotations' calls after {@code start}. */
    private InsnList prologue(Plan plan, LabelNode start) {
        InsnList prologue = new InsnList();
        prologue.add(new MethodInsnNode(Opcodes.INVOKESTATIC, KERNEL_STACK, "current", "()L" + KERNEL_STACK + ";"));
        prologue.add(new InsnNode(Opcodes.DUP));
        prologue.add(new VarInsnNode(Opcodes.ASTORE, plan.ks));
        prologue.add(push(plan.frame));
        if (config.methods()) {
            prologue.add(push(plan.id));
        }
        prologue.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, KERNEL_STACK, plan.checked ? "enterChecked" : "enter",
                config.methods() ? "(II)I" : "(I)I"));
        prologue.add(new VarInsnNode(Opcodes.ISTORE, plan.saved));
        prologue.add(start);
        if (plan.noSleep) {
            prologue.add(call(plan.ks, "noSleepEnter"));
        }
        if (plan.expand > 0) {
            prologue.add(expandStack(plan.ks, plan.expand, plan.id));
        }
        if (plan.idlePoint) {
            prologue.add(call(plan.ks, "park"));
        }
        return prologue;
    }

    /** Every existing stack map frame gets ks and saved above the original locals. */
    private void appendStackLocalsToFrames(int ks) {
        for (AbstractInsnNode insn : instructions) {
            if (insn instanceof FrameNode f) {
                if (f.type != Opcodes.F_NEW) {
                    throw new WeaveException("stack map frames were not expanded");
                }
                f.local = withStackLocals(f.local, ks);
            }
        }
    }

    /** A handler for anything thrown between {@code from} and {@code to}: the exit, then rethrow. */
    private void catchAll(Plan plan, LabelNode from, LabelNode to, List<Object> locals) {
        LabelNode handler = new LabelNode();
        instructions.add(handler);
        if (needsStackMapFrames) {
            instructions.add(new FrameNode(Opcodes.F_NEW, 0, new Object[0], 1, new Object[] {"java/lang/Throwable"}));
            ((FrameNode) instructions.getLast()).local = withStackLocals(locals, plan.ks);
        }
        instructions.add(exit(plan));
        instructions.add(new InsnNode(Opcodes.ATHROW));
        tryCatchBlocks.add(new TryCatchBlockNode(from, to, handler, null));
    }

    /**
     * The woven method's max_stack, the most that what is woven can need: the prologue's ks, FRAME
     * and ID, and the catch-all's Throwable, ks and saved (3); an existing handler's exception with
     * ks, saved and FRAME (4); ks and saved on top of whatever a return leaves (2 above the original
     * max); ks and two ints on top of a reflective call's arguments (3 above it). Before, it was
     * the original + 3 and at least 4 for every method.
     */
    private static int maxStack(int original, boolean mapsAhead, boolean hasHandlers) {
        int woven = Math.max(original + (mapsAhead ? 3 : 2), 3);
        return hasHandlers ? Math.max(woven, 4) : woven;
    }

    /** Leaving the method: [ks.wake()] [ks.noSleepExit()] ks.restore(saved). */
    private static InsnList exit(Plan plan) {
        InsnList list = new InsnList();
        if (plan.idlePoint) {
            list.add(call(plan.ks, "wake"));
        }
        if (plan.noSleep) {
            list.add(call(plan.ks, "noSleepExit"));
        }
        list.add(restore(plan.ks, plan.saved, 0));
        return list;
    }

    /** ks.expandStack(BYTES, ID). */
    private static InsnList expandStack(int ks, int bytes, int id) {
        InsnList list = new InsnList();
        list.add(new VarInsnNode(Opcodes.ALOAD, ks));
        list.add(push(bytes));
        list.add(push(id));
        list.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, KERNEL_STACK, "expandStack", "(II)V"));
        return list;
    }

    private static InsnList call(int ks, String method) {
        InsnList list = new InsnList();
        list.add(new VarInsnNode(Opcodes.ALOAD, ks));
        list.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, KERNEL_STACK, method, "()V"));
        return list;
    }

    /** ks.restore(saved - frameBelow): the sp at entry, or with this method's own frame pushed. */
    private static InsnList restore(int ks, int saved, int frameBelow) {
        InsnList list = new InsnList();
        list.add(new VarInsnNode(Opcodes.ALOAD, ks));
        list.add(new VarInsnNode(Opcodes.ILOAD, saved));
        if (frameBelow != 0) {
            list.add(push(frameBelow));
            list.add(new InsnNode(Opcodes.ISUB));
        }
        list.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, KERNEL_STACK, "restore", "(I)V"));
        return list;
    }

    /** The shortest push of a constant: fewer bytes keep more woven methods within the JIT's inlining limits. */
    static AbstractInsnNode push(int value) {
        if (value >= -1 && value <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + value);
        }
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            return new IntInsnNode(Opcodes.BIPUSH, value);
        }
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return new IntInsnNode(Opcodes.SIPUSH, value);
        }
        return new LdcInsnNode(value);
    }

    /** The first real instruction at a label: inserting before it keeps the label's frame in place. */
    private static AbstractInsnNode firstInstruction(LabelNode label) {
        AbstractInsnNode insn = label;
        while (insn.getOpcode() < 0) {
            insn = insn.getNext();
        }
        return insn;
    }

    /**
     * The invokespecial that initialises {@code this}: the first {@code <init>} call not matched by
     * an earlier {@code new} (arguments of super(...) may construct other objects first).
     */
    private AbstractInsnNode initCall() {
        int pendingNew = 0;
        for (AbstractInsnNode insn : instructions) {
            if (insn.getOpcode() == Opcodes.NEW) {
                pendingNew++;
            } else if (insn.getOpcode() == Opcodes.INVOKESPECIAL && "<init>".equals(((MethodInsnNode) insn).name)) {
                if (pendingNew == 0) {
                    return insn;
                }
                pendingNew--;
            }
        }
        throw new WeaveException("constructor " + name + desc + " has no super() or this() call that can be found");
    }

    /**
     * The catch-all before super()/this() types local 0 as the uninitialised {@code this}; code that
     * stores anything else there first cannot be covered by it, so such a constructor is not woven.
     */
    private void requireThisKept(AbstractInsnNode init) {
        for (AbstractInsnNode insn = instructions.getFirst(); insn != init; insn = insn.getNext()) {
            if (insn instanceof VarInsnNode v && v.var == 0 && v.getOpcode() >= Opcodes.ISTORE
                    && v.getOpcode() <= Opcodes.ASTORE) {
                throw new WeaveException("constructor " + name + desc + " overwrites this before super() or this()");
            }
        }
    }

    /** The frame's locals padded with TOP up to {@code ks}, then ks and saved. */
    private static List<Object> withStackLocals(List<Object> locals, int ks) {
        List<Object> out = new ArrayList<>(locals == null ? List.of() : locals);
        int slots = 0;
        for (Object local : out) {
            slots += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; slots < ks; slots++) {
            out.add(Opcodes.TOP);
        }
        out.add(KERNEL_STACK);
        out.add(Opcodes.INTEGER);
        return out;
    }

    private boolean hasAnnotation(String descriptor) {
        for (List<AnnotationNode> annotations : List.of(
                visibleAnnotations == null ? List.<AnnotationNode>of() : visibleAnnotations,
                invisibleAnnotations == null ? List.<AnnotationNode>of() : invisibleAnnotations)) {
            for (AnnotationNode a : annotations) {
                if (a.desc.equals(descriptor)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Integer annotationInt(String descriptor, String key) {
        Integer visible = annotationInt(visibleAnnotations, descriptor, key);
        return visible != null ? visible : annotationInt(invisibleAnnotations, descriptor, key);
    }

    private static Integer annotationInt(List<AnnotationNode> annotations, String descriptor, String key) {
        if (annotations != null) {
            for (AnnotationNode a : annotations) {
                if (a.desc.equals(descriptor) && a.values != null) {
                    for (int i = 0; i + 1 < a.values.size(); i += 2) {
                        if (key.equals(a.values.get(i))) {
                            return (Integer) a.values.get(i + 1);
                        }
                    }
                }
            }
        }
        return null;
    }
}
