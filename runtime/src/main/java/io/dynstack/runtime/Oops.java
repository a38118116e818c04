package io.dynstack.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What a panic prints: why, then the simulated call chain innermost first with each frame's size
 * and the depth it reaches, then the state of the stack. The chain is read from the Java stack:
 * woven methods are on it in the same order as their simulated frames.
 *
 * @param headline  one line: the kind of panic and the frame that caused it
 * @param chain     the simulated frames, innermost (the one that could not be entered) first
 */
public record Oops(String headline, List<ChainFrame> chain, int sp, int mappedBottom, int threadSize) {

    /** Method descriptors need the class reference kept. */
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** One simulated frame: the method, its size, and the depth its bottom reaches. */
    public record ChainFrame(String method, int frameSize, int depth) {
    }

    static Oops doubleFault(KernelStack stack, int next, int frame) {
        List<ChainFrame> chain = chain(stack, next);
        return new Oops("double fault: " + name(chain) + " (frame " + frame + ") at depth "
                + (stack.threadSize() - next) + " runs below the " + stack.mappedBytes()
                + " mapped bytes, with no check to grow the stack (fault=panic)",
                chain, stack.sp, stack.mappedBottom, stack.threadSize());
    }

    static Oops overflow(KernelStack stack, int next, int frame) {
        List<ChainFrame> chain = chain(stack, next);
        return new Oops("stack overflow: " + name(chain) + " (frame " + frame + ") at depth "
                + (stack.threadSize() - next) + " runs past THREAD_SIZE " + stack.threadSize() + " (guard page)",
                chain, stack.sp, stack.mappedBottom, stack.threadSize());
    }

    static Oops reserveEmpty(KernelStack stack, int next, int frame, int pages) {
        List<ChainFrame> chain = chain(stack, next);
        return new Oops("no memory for stack growth in atomic context: " + name(chain) + " (frame " + frame
                + ") at depth " + (stack.threadSize() - next) + " needs " + pages + " page(s) and the reserve of CPU "
                + stack.cpu() + " is empty", chain, stack.sp, stack.mappedBottom, stack.threadSize());
    }

    private static String name(List<ChainFrame> chain) {
        return chain.isEmpty() ? "a kernel frame" : chain.get(0).method();
    }

    /**
     * Woven frames from the Java stack, innermost first, until they account for every byte in use
     * on this simulated stack (frames beyond belong to another stack, e.g. the task's under an IRQ).
     */
    private static List<ChainFrame> chain(KernelStack stack, int next) {
        return chain(stack, next, Integer.MAX_VALUE);
    }

    /** The same, innermost first, stopping after {@code maxFrames} frames. */
    static List<ChainFrame> chain(KernelStack stack, int next, int maxFrames) {
        return WALKER.walk(frames -> {
            List<ChainFrame> chain = new ArrayList<>();
            int depth = stack.threadSize() - next;
            for (var it = frames.iterator(); it.hasNext() && depth > 0 && chain.size() < maxFrames; ) {
                StackWalker.StackFrame f = it.next();
                WovenMethods.Method m = WovenMethods.find(f.getClassName(), f.getMethodName(), f.getDescriptor());
                if (m != null) {
                    chain.add(new ChainFrame(m.display(), m.frameSize(), depth));
                    depth -= m.frameSize();
                }
            }
            return chain;
        });
    }

    public String text() {
        StringBuilder out = new StringBuilder("KERNEL PANIC: ").append(headline).append('\n');
        out.append("  depth  frame  method\n");
        for (ChainFrame f : chain) {
            out.append(String.format("  %5d  %5d  %s%n", f.depth(), f.frameSize(), f.method()));
        }
        out.append(String.format("  sp %d, mapped %d of THREAD_SIZE %d (bottom at %d)",
                sp, threadSize - mappedBottom, threadSize, mappedBottom));
        return out.toString();
    }
}
