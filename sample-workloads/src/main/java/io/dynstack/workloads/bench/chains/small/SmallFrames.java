package io.dynstack.workloads.bench.chains.small;

/**
 * The "chain of small functions": {@value #FUNCTIONS} distinct functions with small frames, each
 * only calling the next, gone through {@value #ROUNDS} times, so that {@value #ROUNDS} x
 * {@value #FUNCTIONS} frames are live at the bottom. No frame reaches the kernel's threshold of
 * 100, yet together they need more than the one mapped page: only a threshold at or below their
 * frame size checks them. With next to no work per frame it is also the worst case for overhead.
 */
public final class SmallFrames {

    static final int FUNCTIONS = 32;
    static final int ROUNDS = 3;

    private SmallFrames() {
    }

    public static int run(int x) {
        return f0(ROUNDS, x);
    }

    static int f0(int round, int x) {
        return f1(round, x + 1);
    }

    static int f1(int round, int x) {
        return f2(round, x + 2);
    }

    static int f2(int round, int x) {
        return f3(round, x + 3);
    }

    static int f3(int round, int x) {
        return f4(round, x + 4);
    }

    static int f4(int round, int x) {
        return f5(round, x + 5);
    }

    static int f5(int round, int x) {
        return f6(round, x + 6);
    }

    static int f6(int round, int x) {
        return f7(round, x + 7);
    }

    static int f7(int round, int x) {
        return f8(round, x + 8);
    }

    static int f8(int round, int x) {
        return f9(round, x + 9);
    }

    static int f9(int round, int x) {
        return f10(round, x + 10);
    }

    static int f10(int round, int x) {
        return f11(round, x + 11);
    }

    static int f11(int round, int x) {
        return f12(round, x + 12);
    }

    static int f12(int round, int x) {
        return f13(round, x + 13);
    }

    static int f13(int round, int x) {
        return f14(round, x + 14);
    }

    static int f14(int round, int x) {
        return f15(round, x + 15);
    }

    static int f15(int round, int x) {
        return f16(round, x + 16);
    }

    static int f16(int round, int x) {
        return f17(round, x + 17);
    }

    static int f17(int round, int x) {
        return f18(round, x + 18);
    }

    static int f18(int round, int x) {
        return f19(round, x + 19);
    }

    static int f19(int round, int x) {
        return f20(round, x + 20);
    }

    static int f20(int round, int x) {
        return f21(round, x + 21);
    }

    static int f21(int round, int x) {
        return f22(round, x + 22);
    }

    static int f22(int round, int x) {
        return f23(round, x + 23);
    }

    static int f23(int round, int x) {
        return f24(round, x + 24);
    }

    static int f24(int round, int x) {
        return f25(round, x + 25);
    }

    static int f25(int round, int x) {
        return f26(round, x + 26);
    }

    static int f26(int round, int x) {
        return f27(round, x + 27);
    }

    static int f27(int round, int x) {
        return f28(round, x + 28);
    }

    static int f28(int round, int x) {
        return f29(round, x + 29);
    }

    static int f29(int round, int x) {
        return f30(round, x + 30);
    }

    static int f30(int round, int x) {
        return f31(round, x + 31);
    }

    static int f31(int round, int x) {
        return round > 1 ? f0(round - 1, x ^ round) : x;
    }
}
